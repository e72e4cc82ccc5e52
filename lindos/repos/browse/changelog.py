"""``/REPO/changelog`` (history of a branch) and ``/REPO/changelog/REV/PATH``
(history of one file or directory up to REV).

Policy: ``PAGE_SIZE`` changesets a page, newest first, ``?page=N`` from 1;
``?branch=NAME`` picks the branch (or tag) whose history is shown. Only the
page asked for is read (plus one changeset to know whether an older page
exists), so the first page of a long history costs the same as a short
one. A page past the end is empty rather than an error; an unknown branch
is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render

from lindos.vcs.text import display_name

from . import links
from .common import (
    base_context,
    breadcrumbs,
    changeset_row,
    open_browse,
    ref_choices,
    repository_not_found_page,
)
from .revisions import get_changeset_or_404, get_node_or_404, split_rev_path

PAGE_SIZE = 20
MAX_PAGE = 100_000


def page_number(request) -> int:
    """``?page=N`` as a positive int; anything else is page 1."""
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE)


def _page_url(base: str, branch: str | None, page: int) -> str:
    params = {}
    if branch:
        params["branch"] = branch
    if page > 1:
        params["page"] = page
    return base + ("?" + urlencode(params) if params else "")


@repository_not_found_page("changelog")
def changelog(request, repo_name: str, rest: str | None = None):
    browse = open_browse(request, repo_name)
    name = browse.name
    page = page_number(request)
    branch = request.GET.get("branch") or None
    path = ""
    if rest:
        cs, rev_text, path = split_rev_path(browse.vcs, rest, browse.default)
        if path:
            get_node_or_404(cs, path)  # 404 for absent and unsafe paths
        branch = None
    elif browse.vcs.is_empty():
        cs, rev_text = None, "tip"
    else:
        cs = get_changeset_or_404(browse.vcs, branch, browse.default)
        rev_text = branch or "tip"
    rows, has_next = [], False
    if cs is not None:
        found = browse.vcs.iter_changesets(
            start_rev=cs.id, path=path or None, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1
        )
        has_next = len(found) > PAGE_SIZE
        rows = [changeset_row(name, c) for c in found[:PAGE_SIZE]]
    base = links.changelog_url(name, rev_text, path) if rest else links.changelog_url(name)
    context = base_context(
        browse,
        "changelog",
        rows=rows,
        page=page,
        branch=branch,
        path=path,
        path_display=display_name(path),
        rev_text=rev_text,
        changeset=cs,
        crumbs=breadcrumbs(name, rev_text, path) if path else None,
        refs=ref_choices(browse.vcs),
        form_action=links.changelog_url(name),
        newer_url=_page_url(base, branch, page - 1) if page > 1 else None,
        older_url=_page_url(base, branch, page + 1) if has_next else None,
        file_url=links.files_url(name, rev_text, path) if path else None,
    )
    return render(request, "repos/browse/changelog.html", context)
