"""Who wrote a file, and the revisions it can be compared at, at
Kallithea's URLs:

* ``/REPO/authors/REV/PATH``: the authors of the file's history up to
  REV, most changesets first, with their counts (Kallithea's "N authors"
  box, as a page of its own).
* ``/REPO/history/REV/PATH``: JSON for scripts choosing a revision of the
  file, Kallithea's shape: ``{"more": false, "results": [{"text":
  "Changesets", "children": [{"id", "text"}]}, {"text": "Branches", ...},
  {"text": "Tags", ...}]}``.

Policy: a file's history can be long, so at most ``MAX_HISTORY``
changesets are read (the authors page says when it stopped there); the
answer for a changeset and path never changes, so it is cached.
"""

from __future__ import annotations

from collections import Counter

from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import render

from lindos.vcs.text import display_name

from . import links
from .common import base_context, breadcrumbs, open_browse, repository_not_found_page
from .files import escape_key
from .revisions import get_file_or_404, split_rev_path

MAX_HISTORY = 10_000
_CACHE_VERSION = 1


def file_history(cs, path: str) -> list[tuple[str, str, str | None]]:
    """``(id, author, branch)`` of the changesets up to ``cs`` that touched
    ``path``, newest first, at most ``MAX_HISTORY + 1`` (cached)."""
    key = f"lindos:filehist:{_CACHE_VERSION}:{cs.repository.kind}:{cs.id}:{escape_key(path)}"
    found = cache.get(key)
    if found is None:
        history = cs.repository.iter_changesets(start_rev=cs.id, path=path, limit=MAX_HISTORY + 1)
        found = [(c.id, c.author, c.branch) for c in history]
        cache.set(key, found)
    return found


def build_authors(history) -> list[dict]:
    """Authors with their number of changesets, most first, then by name."""
    counts = Counter(author for _id, author, _branch in history)
    from lindos.vcs.text import split_author

    rows = []
    for author, count in sorted(counts.items(), key=lambda item: (-item[1], item[0].lower())):
        name, email = split_author(author)
        rows.append({"author": author, "name": name, "email": email, "count": count})
    return rows


def _file(request, repo_name: str, rest: str):
    browse = open_browse(request, repo_name)
    cs, rev_text, path = split_rev_path(browse.vcs, rest, browse.default)
    if not path:
        raise Http404("a file's history needs a path")
    node = get_file_or_404(cs, path)
    return browse, cs, rev_text, node.path


@repository_not_found_page("files")
def authors(request, repo_name: str, rest: str):
    browse, cs, rev_text, path = _file(request, repo_name, rest)
    history = file_history(cs, path)
    context = base_context(
        browse,
        "files",
        changeset=cs,
        rev_text=rev_text,
        path_display=display_name(path),
        crumbs=breadcrumbs(browse.name, rev_text, path),
        file_url=links.files_url(browse.name, rev_text, path),
        history_url=links.changelog_url(browse.name, rev_text, path),
        authors=build_authors(history[:MAX_HISTORY]),
        capped=len(history) > MAX_HISTORY,
        max_history=MAX_HISTORY,
    )
    return render(request, "repos/browse/file_authors.html", context)


def history(request, repo_name: str, rest: str):
    browse, cs, _rev_text, path = _file(request, repo_name, rest)
    vcs = browse.vcs
    changesets = [
        {"id": id, "text": f"{id[:12]} ({display_name(branch) if branch else ''})".replace(" ()", "")}
        for id, _author, branch in file_history(cs, path)[:MAX_HISTORY]
    ]
    branches = [{"id": tip, "text": display_name(name)} for name, tip in sorted(vcs.branches.items())]
    tags = [{"id": tip, "text": display_name(name)} for name, tip in sorted(vcs.tags.items())]
    results = [
        {"text": "Changesets", "children": changesets},
        {"text": "Branches", "children": branches},
        {"text": "Tags", "children": tags},
    ]
    return JsonResponse({"more": False, "results": results})
