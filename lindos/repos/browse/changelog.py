"""``/REPO/changelog`` (every branch, with the revision graph) and
``/REPO/changelog/REV/PATH`` (history of one file or directory up to REV).

Policy, as Kallithea's changelog:

* Without ``?branch=`` the changelog shows every branch at once, newest
  first in topological order, with the graph drawn beside it (lanes for
  branches and merges, ``graph.py``); ``?branch=NAME`` (a branch, tag or
  bookmark) shows that name's history, graph included. An unknown name is
  a 404.
* ``/changelog/REV/`` (no path) is the history of REV with its graph; with
  a path it is that path's history, without a graph (Kallithea drew none).
* ``?size=N`` rows a page (``DEFAULT_SIZE``, at most ``MAX_SIZE``),
  ``?page=N`` from 1. Only the page asked for is read (plus one changeset
  to know whether an older page exists), so page one of a 100,000-commit
  history costs what a short one does. A page past the end is empty
  rather than an error. A page's ids are cached until a ref moves.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe

from lindos.vcs.errors import VCSError
from lindos.vcs.text import display_name

from . import links
from .branch_filter import filter_state
from .changelog_rows import render_changelog_rows
from .common import (
    base_context,
    breadcrumbs,
    changeset_row,
    open_browse,
    ref_choices,
    repository_not_found_page,
)
from .file_diffs import file_diff_url
from .graph import build_graph, lane_count
from .revisions import get_changeset_or_404, get_node_or_404, split_rev_path

DEFAULT_SIZE = 100
MAX_SIZE = 2000
MAX_PAGE = 100_000
_CACHE_VERSION = 1
#: Pixels between two lanes of the graph (static/changelog_graph.js).
LANE_WIDTH = 14


def _positive(request, key: str, default: int, most: int) -> int:
    try:
        value = int(request.GET.get(key, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, 1), most)


def page_number(request) -> int:
    """``?page=N`` as a positive int; anything else is page 1."""
    return _positive(request, "page", 1, MAX_PAGE)


def page_size(request) -> int:
    """``?size=N`` rows a page, Kallithea's parameter and limits."""
    return _positive(request, "size", DEFAULT_SIZE, MAX_SIZE)


def _page_url(base: str, branch: str | None, page: int, size: int) -> str:
    params = {}
    if branch:
        params["branch"] = branch
    if size != DEFAULT_SIZE:
        params["size"] = size
    if page > 1:
        params["page"] = page
    return base + ("?" + urlencode(params) if params else "")


def refs_key(vcs) -> str:
    """A digest of everything a graph page depends on: every ref's target
    (and hg's heads). Equal digests mean equal pages, so a page's ids can be
    cached under it."""
    state = [sorted(vcs.branches.items()), sorted(vcs.tags.items()), sorted(vcs.bookmarks.items())]
    if vcs.kind == "hg":
        state.append(vcs.heads)
    return hashlib.sha1(repr(state).encode("utf-8", "surrogateescape")).hexdigest()


def _graph_page(browse, start_rev: str | None, offset: int, size: int, named_branch: str | None = None):
    """(changesets of the page, whether an older page exists). The ids are
    cached until a ref moves: a warm page runs no ``git`` process."""
    vcs = browse.vcs
    key = f"lindos:graphpage:{_CACHE_VERSION}:{vcs.kind}:{refs_key(vcs)}:{start_rev or '*'}:{named_branch or ''}:{offset}:{size}"
    ids = cache.get(key)
    try:
        if ids is None:
            ids = [
                cs.id
                for cs in vcs.graph_changesets(
                    start_rev, offset=offset, limit=size + 1, named_branch=named_branch
                )
            ]
            cache.set(key, ids)
        found = [vcs.get_changeset(id) for id in ids]
    except VCSError:
        raise Http404("unknown revision")
    return found[:size], len(found) > size


def _graph_json(rows) -> tuple[list, int]:
    """The page's graph as ``static/changelog_graph.js`` reads it, and its
    number of lanes."""
    by_id = {cs.id: cs for cs in rows}
    graph = build_graph([(cs.id, cs.parents) for cs in rows], lambda id: by_id[id].branch)
    return [row.as_json() for row in graph], lane_count(graph)


def _row(repo_name: str, cs, path: str) -> dict:
    """A changelog row; in a file's history, with a link to what this
    changeset did to the file (its diff against the first parent)."""
    row = changeset_row(repo_name, cs)
    if path:
        row["diff_url"] = file_diff_url(repo_name, path, cs.parents[0] if cs.parents else "0" * 40, cs.id)
    return row


@repository_not_found_page("changelog")
def changelog(request, repo_name: str, rest: str | None = None):
    browse = open_browse(request, repo_name)
    name, vcs = browse.name, browse.vcs
    page, size = page_number(request), page_size(request)
    offset = (page - 1) * size
    branch = (request.GET.get("branch") or None) if not rest else None
    path, cs, rev_text = "", None, None
    if rest:
        cs, rev_text, path = split_rev_path(vcs, rest, browse.default)
        if path:
            get_node_or_404(cs, path)  # 404 for absent and unsafe paths
    elif branch:
        cs = get_changeset_or_404(vcs, branch, browse.default)
        rev_text = branch
    found, has_next, graph, lanes = [], False, None, 0
    if path:
        history = vcs.iter_changesets(start_rev=cs.id, path=path, offset=offset, limit=size + 1)
        found, has_next = history[:size], len(history) > size
    elif not vcs.is_empty():
        # hg's ?branch=NAME lists that named branch's own changesets, as
        # Kallithea did; a tag, an id or any git ref lists the history.
        named = branch if branch and vcs.kind == "hg" and branch in vcs.branches else None
        found, has_next = _graph_page(browse, cs.id if cs is not None else None, offset, size, named)
        graph, lanes = _graph_json(found)
    if rest:
        base = links.changelog_url(name, rev_text, path)
        selected = filter_state(vcs, rev_text, cs)
    else:
        base = links.changelog_url(name)
        selected = filter_state(vcs, branch, cs) if branch else None
    rows = [_row(name, c, path) for c in found]
    context = base_context(
        browse,
        "changelog",
        rows=rows,
        rows_html=mark_safe(
            render_changelog_rows(browse.db, rows, graph=bool(graph), changelog_url=links.changelog_url(name))
        ),
        graph=graph,
        graph_width=lanes * LANE_WIDTH + LANE_WIDTH,
        page=page,
        size=size,
        branch=branch,
        path=path,
        path_display=display_name(path),
        rev_text=rev_text,
        changeset=cs,
        empty=vcs.is_empty(),
        crumbs=breadcrumbs(name, rev_text, path) if path else None,
        refs=ref_choices(vcs),
        current_ref=selected.current if selected else "",
        revision_option=selected.revision_option if selected else None,
        form_action=links.changelog_url(name),
        newer_url=_page_url(base, branch, page - 1, size) if page > 1 else None,
        older_url=_page_url(base, branch, page + 1, size) if has_next else None,
        file_url=links.files_url(name, rev_text, path) if path else None,
    )
    return render(request, "repos/browse/changelog.html", context)
