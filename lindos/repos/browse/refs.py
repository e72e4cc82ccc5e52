"""``/REPO/branches`` and ``/REPO/tags``: every branch (hg: open, then
closed) or tag with its tip changeset, newest tip first.

Policy: at most ``MAX_REFS`` names a page are shown (newest first), so a
repository with tens of thousands of tags still answers quickly; the page
says how many were left out.
"""

from __future__ import annotations

from django.shortcuts import render

from lindos.vcs.errors import VCSError
from lindos.vcs.text import display_name

from . import links
from .common import base_context, open_browse, repository_not_found_page

MAX_REFS = 1000


def build_ref_rows(vcs, repo_name: str, refs: dict[str, str], changelog_link: bool) -> list[dict]:
    """One row per name, newest tip first (names whose tip cannot be read
    are skipped: a ref may move during the request)."""
    rows = []
    for name, tip in refs.items():
        try:
            cs = vcs.get_changeset(tip)
        except VCSError:
            continue
        rows.append(
            {
                "name": display_name(name),
                "cs": cs,
                "url": links.changeset_url(repo_name, cs.id),
                "files_url": links.files_url(repo_name, name, ""),
                "changelog_url": (links.changelog_url(repo_name) + "?branch=" + links.q(name))
                if changelog_link
                else links.changelog_url(repo_name, name, ""),
            }
        )
    rows.sort(key=lambda row: row["cs"].date, reverse=True)
    return rows


def _page(request, repo_name: str, kind: str):
    browse = open_browse(request, repo_name)
    vcs, name = browse.vcs, browse.name
    groups = []
    if kind == "branches":
        sections = [("Branches", vcs.branches), ("Closed branches", vcs.closed_branches)]
    else:
        sections = [("Tags", vcs.tags)]
    left_out = 0
    for label, refs in sections:
        if not refs:
            continue
        kept = dict(sorted(refs.items())[:MAX_REFS])
        left_out += len(refs) - len(kept)
        groups.append({"label": label, "rows": build_ref_rows(vcs, name, kept, kind == "branches")})
    context = base_context(browse, "changelog", kind=kind, groups=groups, left_out=left_out)
    return render(request, "repos/browse/refs.html", context)


@repository_not_found_page("changelog")
def branches(request, repo_name: str):
    return _page(request, repo_name, "branches")


@repository_not_found_page("changelog")
def tags(request, repo_name: str):
    return _page(request, repo_name, "tags")
