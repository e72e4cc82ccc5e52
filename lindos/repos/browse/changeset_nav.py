"""A changeset's neighbours and downloads, at Kallithea's URLs:

* ``/REPO/changeset_parents/REV`` and ``/REPO/changeset_children/REV``:
  JSON ``{"results": [changeset, ...]}`` for scripts, each changeset as
  Kallithea serialised it (``raw_id``, ``short_id``, ``message``, ``date``,
  ``author``; ``revision``, a local number git does not have, is left
  out). Like Kallithea they answer only script requests (the
  ``X-Requested-With: XMLHttpRequest`` header), anything else is a 400:
  the pages link to the changesets themselves. The answer is an object,
  never a bare list (a list is valid JavaScript a foreign page could load).
* ``/REPO/changeset-download/REV``: the diff as an attachment named
  ``<short id>.diff``; ``/REPO/changeset-diff/REV``:
  the same diff shown as text (Kallithea's newer name for raw-changeset).
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse

from .changeset import raw_changeset
from .common import open_browse
from .revisions import get_changeset_or_404


def is_script_request(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def changeset_json(cs) -> dict:
    """Kallithea's ``__json__`` of a changeset, less its local number."""
    return {
        "short_id": cs.short_id,
        "raw_id": cs.id,
        "message": cs.message,
        "date": cs.date.isoformat(),
        "author": cs.author,
    }


def _neighbours(request, repo_name: str, rev: str, which: str):
    browse = open_browse(request, repo_name)  # 404 before 400: no hint of a private name
    if not is_script_request(request):
        return HttpResponseBadRequest("This URL answers scripts (X-Requested-With: XMLHttpRequest).\n")
    cs = get_changeset_or_404(browse.vcs, rev, browse.default)
    ids = cs.parents if which == "parents" else browse.vcs.children_ids(cs.id)
    return JsonResponse({"results": [changeset_json(browse.vcs.get_changeset(i)) for i in ids]})


def changeset_parents(request, repo_name: str, rev: str):
    return _neighbours(request, repo_name, rev, "parents")


def changeset_children(request, repo_name: str, rev: str):
    return _neighbours(request, repo_name, rev, "children")


def changeset_download(request, repo_name: str, rev: str):
    browse = open_browse(request, repo_name)
    cs = get_changeset_or_404(browse.vcs, rev, browse.default)
    response = HttpResponse(cs.diff_against_parent(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{cs.id[:12]}.diff"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


#: ``/REPO/changeset-diff/REV`` is ``raw-changeset`` under its newer name.
changeset_diff = raw_changeset
