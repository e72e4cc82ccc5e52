"""``/REPO`` and ``/REPO/summary``: what a repository is and what happened
to it lately (description, clone URL in the header, README, latest
changes, branches, tags and the push journal)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render

from lindos.repos.journal import recent_journal
from lindos.vcs.errors import VCSError
from lindos.vcs.text import display_name, name_bytes

from . import links
from .common import base_context, changeset_row, open_browse
from .readme import find_readme, rendered_readme
from .revisions import get_changeset_or_404

LATEST_CHANGES = 10
JOURNAL_ENTRIES = 10
#: Refs listed on the summary; the branch filters list them all.
MAX_REFS = 30


def _refs(repo_name: str, refs: dict[str, str]) -> list[dict]:
    rows = []
    for name in sorted(refs)[:MAX_REFS]:
        rows.append(
            {
                "name": display_name(name),
                "id": refs[name][:12],
                "files_url": links.files_url(repo_name, name, ""),
                "changelog_url": links.changelog_url(repo_name)
                + "?"
                + urlencode({"branch": name_bytes(name)}),
            }
        )
    return rows


def summary(request, repo_name: str):
    browse = open_browse(request, repo_name)
    name = browse.name
    context = base_context(
        browse,
        "summary",
        journal=recent_journal(browse.db, JOURNAL_ENTRIES),
        changelog_url=links.changelog_url(name),
    )
    if browse.vcs.is_empty():
        context["empty"] = True
        return render(request, "repos/browse/summary.html", context)
    cs = get_changeset_or_404(browse.vcs, None, browse.default)
    changes = browse.vcs.iter_changesets(start_rev=cs.id, limit=LATEST_CHANGES)
    readme = find_readme(cs.get_node("").entries())
    readme_html = None
    if readme is not None:
        try:
            readme_html = rendered_readme(readme)
        except VCSError:  # an unreadable object: show the page without it
            readme = None
    context.update(
        {
            "tip": cs,
            "changes": [changeset_row(name, c) for c in changes],
            "readme": readme,
            "readme_html": readme_html,
            "readme_url": links.files_url(name, cs.id, readme.path) if readme else None,
            "branches": _refs(name, browse.vcs.branches),
            "tags": _refs(name, browse.vcs.tags),
            "bookmarks": _refs(name, browse.vcs.bookmarks),
            "archives": [(ext, links.archive_url(name, cs.id, ext)) for ext in ("zip", "tar.gz", "tar.bz2")]
            if browse.db.enable_downloads
            else [],
            "files_url": links.files_url(name, "tip", ""),
        }
    )
    return render(request, "repos/browse/summary.html", context)
