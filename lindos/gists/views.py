"""The gist pages, at Kallithea's URLs:

- ``/_admin/gists``: public gists (``?public=1``: my public ones,
  ``?private=1``: my private ones, both: all mine); POST creates;
- ``/_admin/gists/new``: the form;
- ``/_admin/gists/ID`` (and ``/ID/REV``, ``/ID/REV/html``): the files,
  highlighted; ``/ID/REV/raw``: every file as text, ``/ID/REV/raw/NAME``
  one file;
- ``/_admin/gists/ID/edit`` (GET, POST), ``/_admin/gists/ID/delete`` (POST).

Policy: a gist is found by its access id only, and an expired gist is a
404 for everyone, owner included. Anyone who may browse reads a gist
whose link they have (private ones are not listed for others); only
logged-in users make gists; the owner and admins edit and delete them
(403 for others). Raw answers are ``text/plain``, ``nosniff`` and
sandboxed, as a repository's raw files.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from lindos.gists import forms
from lindos.gists.actions import (
    GistConflict,
    GistMissing,
    do_create_gist,
    do_delete_gist,
    do_update_gist,
    gist_files,
    live_gist_or_none,
)
from lindos.gists.files import LIFETIMES, MAX_FILE_BYTES, MAX_FILES, GistRefused
from lindos.gists.models import PRIVATE, PUBLIC, Gist
from lindos.notifications.links import request_base_url
from lindos.repos.browse.highlight import highlight_state
from lindos.repos.browse.raw import RAW_CSP
from lindos.repos.editing import EditRefused, check_editable
from lindos.vcs.errors import PathNotFound, RevisionNotFound, VCSError

PAGE_SIZE = 10


def gist_or_404(gist_id: str) -> Gist:
    gist = live_gist_or_none(gist_id)
    if gist is None:
        raise Http404("no such gist")
    return gist


def files_or_404(gist: Gist, revision: str | None = None):
    try:
        return gist_files(gist, revision)
    except (GistMissing, RevisionNotFound, PathNotFound, VCSError, ValueError):
        raise Http404("no such gist revision")


def file_url(gist: Gist, revision: str, fmt: str, name: str) -> str:
    return f"/_admin/gists/{gist.access_id}/{quote(revision, safe='')}/{fmt}/{quote(name, safe='')}"


# -- list ----------------------------------------------------------------------


def build_list_query(user, public: bool, private: bool):
    """Kallithea's choice of gists: everyone's public ones, or the
    visitor's own public and/or private ones."""
    gists = Gist.objects.live().select_related("owner")
    if not user.is_authenticated or not (public or private):
        return gists.filter(gist_type=PUBLIC)
    kinds = [k for k, wanted in ((PUBLIC, public), (PRIVATE, private)) if wanted]
    return gists.filter(owner=user, gist_type__in=kinds)


def gist_list(request):
    mine = request.user.is_authenticated
    public = mine and bool(request.GET.get("public"))
    private = mine and bool(request.GET.get("private"))
    page = Paginator(build_list_query(request.user, public, private), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if private and not public:
        title = f"Private gists of {request.user.username}"
    elif public and not private:
        title = f"Public gists of {request.user.username}"
    elif public:
        title = f"Gists of {request.user.username}"
    else:
        title = "Public gists"
    extra = "".join(f"&{k}=1" for k, on in (("public", public), ("private", private)) if on)
    return render(
        request,
        "gists/index.html",
        {"page": page, "title": title, "extra_query": extra, "now": timezone.now()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def gists(request):
    if request.method == "POST":
        return create(request)
    return gist_list(request)


# -- new -----------------------------------------------------------------------


def _new_form(request, posted: forms.Posted, error: str = "", status: int = 200):
    rows = posted.rows or [forms.Row()]
    context = {
        "posted": posted,
        "rows": rows,
        "lifetimes": LIFETIMES,
        "error": error,
        "max_files": MAX_FILES,
        "max_kib": MAX_FILE_BYTES // 1024,
    }
    return render(request, "gists/new.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def new(request):
    return _new_form(request, forms.Posted())


@login_required
def create(request):
    posted = forms.read_new(request.POST)
    if "add_file" in request.POST:
        if len(posted.rows) >= MAX_FILES:
            return _new_form(request, posted, f"A gist may have at most {MAX_FILES} files.", 413)
        posted.rows.append(forms.Row())
        return _new_form(request, posted)
    try:
        cleaned = forms.clean_new(posted, public="public" in request.POST)
        gist = do_create_gist(owner=request.user, actor=request.user, **cleaned)
    except GistRefused as exc:
        return _new_form(request, posted, str(exc), exc.status)
    return HttpResponseRedirect(gist.get_absolute_url())


# -- show and raw --------------------------------------------------------------


def numbered_rows(anchor: str, lines: list[str]):
    """Table rows with line anchors of their own per file (``#f1-L3``):
    a gist shows several files on one page."""
    return format_html_join(
        "\n",
        '<tr id="{0}-L{1}"><td class="ln"><a href="#{0}-L{1}">{1}</a></td><td class="line">{2}</td></tr>',
        ((anchor, n, mark_safe(line)) for n, line in enumerate(lines, 1)),  # lines: escaped HTML
    )


def build_file_view(gist: Gist, changeset, node, n: int) -> dict:
    anchor = f"f{n}"
    view = {"name": node.name, "anchor": anchor, "raw_url": file_url(gist, changeset.id, "raw", node.name)}
    if node.is_binary:
        return {**view, "display": "binary"}
    lines, highlighted = highlight_state(node.blob_id, node.name, node.content)
    return {**view, "display": "text", "highlighted": highlighted, "rows": numbered_rows(anchor, lines)}


def raw(gist: Gist, changeset, nodes, f_path: str | None):
    if f_path is not None:
        nodes = [n for n in nodes if n.path == f_path]
        if not nodes:
            raise Http404("no such file in this gist")
    response = HttpResponse(b"\n\n".join(n.content for n in nodes), content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = RAW_CSP
    return response


@require_http_methods(["GET", "HEAD"])
def show(request, gist_id: str, revision: str = "tip", format: str = "html", f_path: str | None = None):
    if format not in ("html", "raw"):
        raise Http404("no such format")
    gist = gist_or_404(gist_id)
    changeset, nodes = files_or_404(gist, revision)
    if format == "raw":
        return raw(gist, changeset, nodes, f_path)
    context = {
        "gist": gist,
        "changeset": changeset,
        "files": [build_file_view(gist, changeset, node, n) for n, node in enumerate(nodes, 1)],
        "may_change": gist.may_change(request.user),
        "raw_url": f"/_admin/gists/{gist.access_id}/{quote(revision, safe='')}/raw",
        "gist_url": gist.url(request_base_url(request)),
    }
    return render(request, "gists/show.html", context)


# -- edit and delete -------------------------------------------------------------


def _changeable_or_403(request, gist_id: str) -> Gist:
    gist = gist_or_404(gist_id)
    if not gist.may_change(request.user):
        raise PermissionDenied("only the gist's owner and admins may change it")
    return gist


def _edit_form(request, gist, changeset, posted: forms.Posted, error: str = "", status: int = 200):
    context = {
        "gist": gist,
        "changeset": changeset,
        "posted": posted,
        "rows": posted.rows,
        "lifetimes": [(0, "Unmodified"), *LIFETIMES],
        "error": error,
        "max_kib": MAX_FILE_BYTES // 1024,
    }
    return render(request, "gists/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, gist_id: str):
    gist = _changeable_or_403(request, gist_id)
    changeset, nodes = files_or_404(gist)
    try:
        for node in nodes:
            check_editable(node)
    except EditRefused as exc:
        messages.warning(request, f"This gist cannot be edited in the browser: {exc}")
        return HttpResponseRedirect(gist.get_absolute_url())
    if request.method != "POST":
        rows = [forms.Row(n.name, n.content.decode("utf-8"), n.name) for n in nodes]
        posted = forms.Posted(gist.description, "0", rows, changeset.id)
        return _edit_form(request, gist, changeset, posted)
    posted = forms.read_edit(request.POST)
    if "add_file" in request.POST:
        posted.rows.append(forms.Row())
        return _edit_form(request, gist, changeset, posted)
    try:
        cleaned = forms.clean_edit(posted, {n.name: n.content for n in nodes})
        changed = do_update_gist(gist, actor=request.user, **cleaned)
    except GistRefused as exc:
        if isinstance(exc, GistConflict):
            posted.parent = changeset.id  # the user has seen the news: saving again goes through
        return _edit_form(request, gist, changeset, posted, str(exc), exc.status)
    messages.success(
        request, "Successfully updated gist content" if changed else "Successfully updated gist data"
    )
    return HttpResponseRedirect(gist.get_absolute_url())


@login_required
@require_POST
def delete(request, gist_id: str):
    gist = _changeable_or_403(request, gist_id)
    do_delete_gist(gist)
    messages.success(request, f"Deleted gist {gist.access_id}")
    return HttpResponseRedirect("/_admin/gists")
