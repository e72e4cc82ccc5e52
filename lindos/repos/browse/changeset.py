"""``/REPO/changeset/REV`` (one changeset with its diff),
``/REPO/raw-changeset/REV`` (the diff as text) and
``/REPO/changeset-patch/REV`` (a ``git format-patch`` style mail).

Extension point for code review: a callable registered with
``register_changeset_hook`` is called as ``hook(request, repo, changeset,
context)`` before the page renders and may add to the context; names it
appends to ``context['changeset_includes']`` are included in the template's
``{% block comments %}``. Diff rows carry ``data-path``/``data-old``/
``data-new`` attributes for inline comments.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import format_datetime

from django.http import HttpResponse
from django.shortcuts import render

from lindos.vcs.text import display_name

from . import links
from .common import base_context, open_browse, repository_not_found_page
from .diffs import render_changeset_diff
from .revisions import get_changeset_or_404

_hooks: list[Callable] = []


def register_changeset_hook(hook: Callable) -> None:
    """Have ``hook(request, repo, changeset, context)`` run on every
    changeset page (see module doc). Registering twice is harmless."""
    if hook not in _hooks:
        _hooks.append(hook)


def _file_rows(name: str, cs, parsed) -> list[dict]:
    rows = []
    for index, fd in enumerate(parsed.files):
        rows.append(
            {
                "fd": fd,
                "anchor": f"file-{index}",
                "path": display_name(fd.path),
                "old_path": display_name(fd.old_path),
                "url": (
                    links.files_url(name, cs.id, fd.path)
                    if fd.status != "D"
                    else links.files_url(name, cs.parents[0], fd.path)
                    if cs.parents
                    else None
                ),
            }
        )
    return rows


@repository_not_found_page("changelog")
def changeset(request, repo_name: str, rev: str):
    browse = open_browse(request, repo_name)
    name = browse.name
    cs = get_changeset_or_404(browse.vcs, rev, browse.default)
    parsed = render_changeset_diff(cs)
    context = base_context(
        browse,
        "changelog",
        changeset=cs,
        diff=parsed,
        files=_file_rows(name, cs, parsed),
        parents=[{"short_id": p[:12], "url": links.changeset_url(name, p)} for p in cs.parents],
        # Children are fetched by static/changeset_nav.js on demand: finding
        # them walks history (git keeps no child links), too slow to do for
        # every view of an old changeset in a long history.
        children_url=f"/{links.q(name)}/changeset_children/{cs.id}",
        download_url=f"/{links.q(name)}/changeset-download/{cs.id}",
        raw_url=links.raw_changeset_url(name, cs.id),
        patch_url=links.changeset_patch_url(name, cs.id),
        browse_url=links.files_url(name, cs.id, ""),
        changeset_includes=[],
    )
    for hook in list(_hooks):
        hook(request, browse.db, cs, context)
    return render(request, "repos/browse/changeset.html", context)


def _text_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def raw_changeset(request, repo_name: str, rev: str):
    browse = open_browse(request, repo_name)
    cs = get_changeset_or_404(browse.vcs, rev, browse.default)
    return _text_response(cs.diff_against_parent())


def compose_patch(cs, diff: bytes) -> bytes:
    """The changeset as ``git format-patch`` writes it: an mbox ``From``
    line, mail headers, the message body, ``---`` and the diff. Applies
    with ``git am`` (and ``hg import``)."""
    subject, _, body = cs.message.strip().partition("\n")
    head = (
        f"From {cs.id} Mon Sep 17 00:00:00 2001\n"
        f"From: {cs.author}\n"
        f"Date: {format_datetime(cs.date)}\n"
        f"Subject: [PATCH] {subject}\n\n"
    )
    body = body.strip("\n")
    text = head + (body + "\n" if body else "") + "---\n\n"
    return text.encode("utf-8") + diff + b"-- \nLindos\n"


def changeset_patch(request, repo_name: str, rev: str):
    browse = open_browse(request, repo_name)
    cs = get_changeset_or_404(browse.vcs, rev, browse.default)
    return _text_response(compose_patch(cs, cs.diff_against_parent()))
