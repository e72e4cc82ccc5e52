"""What every browser page starts with: the repository row (permission
checked), its VCS handle, and the shared template context.

Policy: every page goes through ``get_repository_or_404(..., need='read')``
so a repository a visitor may not read is a 404, never a hint. A row whose
directory is missing or broken is a 404 too: the page cannot be shown, and
a 500 would only alarm the operator's error mail for a visitor's typo.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from lindos.repos.permissions import get_repository_or_404
from lindos.repos.storage import UnsafePath
from lindos.vcs import open_repository
from lindos.vcs.errors import VCSError
from lindos.vcs.text import display_name

from . import links
from .revisions import landing_rev


@dataclass
class Browse:
    """One request's view of a repository: ``db`` is the model row,
    ``vcs`` the opened repository, ``default`` the landing revision."""

    db: object
    vcs: object
    default: str | None

    @property
    def name(self) -> str:
        return self.db.name


def open_browse(request, repo_name: str) -> Browse:
    """The repository for a browser page, or 404 (see module doc)."""
    db = get_repository_or_404(request, repo_name, need="read")
    try:
        vcs = open_repository(db.path)
    except (VCSError, UnsafePath, OSError):
        raise Http404("repository missing on disk")
    return Browse(db=db, vcs=vcs, default=landing_rev(db))


def repository_not_found_page(tab: str):
    """A 404 inside a readable repository (a missing file, path or
    revision) keeps the repository's header and tabs, so the visitor can
    find their way; a repository they may not read stays the site's plain
    404, which says nothing about it."""
    import functools

    from django.shortcuts import render

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, repo_name: str, *args, **kwargs):
            try:
                return view(request, repo_name, *args, **kwargs)
            except Http404:
                db = get_repository_or_404(request, repo_name, need="read")  # else: plain 404
                return render(
                    request,
                    "repos/browse/not_found.html",
                    {"repo": db, "active_tab": tab, "repo_name": db.name},
                    status=404,
                )

        return wrapper

    return decorate


def base_context(browse: Browse, active_tab: str, **extra) -> dict:
    """Context every browser template expects (``repos/_header.html``
    needs ``repo`` and ``active_tab``)."""
    context = {"repo": browse.db, "active_tab": active_tab, "vcs_repo": browse.vcs, "repo_name": browse.name}
    context.update(extra)
    return context


def format_size(size: int) -> str:
    """Kallithea's byte sizes: binary units, one decimal (``3.8 KiB``)."""
    if size < 1024:
        return f"{size} B" if size != 1 else "1 byte"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def breadcrumbs(repo_name: str, rev: str, path: str) -> list[dict]:
    """The clickable location of ``path``: the repository root, then each
    directory, then the last segment (not linked; it is the current page)."""
    crumbs = [{"name": repo_name, "url": links.files_url(repo_name, rev, "")}]
    if not path:
        crumbs[0]["url"] = None
        return crumbs
    parts = path.split("/")
    for i, part in enumerate(parts):
        prefix = "/".join(parts[: i + 1])
        last = i == len(parts) - 1
        crumbs.append(
            {"name": display_name(part), "url": None if last else links.files_url(repo_name, rev, prefix)}
        )
    return crumbs


def ref_choices(vcs_repo) -> list[dict]:
    """Branches, then (hg) closed branches, tags, bookmarks and (hg, when
    there are several) the topological heads, for the branch filter select."""
    choices = []
    for label, refs in (
        ("Branches", vcs_repo.branches),
        ("Closed branches", vcs_repo.closed_branches),
        ("Tags", vcs_repo.tags),
        ("Bookmarks", vcs_repo.bookmarks),
    ):
        if refs:
            choices.append({"label": label, "names": [display_name(n) for n in sorted(refs)]})
    if vcs_repo.kind == "hg":
        heads = vcs_repo.heads
        if len(heads) > 1:
            choices.append({"label": "Heads", "names": [h[:12] for h in heads]})
    return choices


def changeset_row(repo_name: str, cs) -> dict:
    """What a changeset list row shows, with its links."""
    return {
        "cs": cs,
        "short_id": cs.short_id,
        "url": links.changeset_url(repo_name, cs.id),
        "files_url": links.files_url(repo_name, cs.id, ""),
        "summary": cs.summary,
        "author": cs.author_name,
        "author_full": cs.author,
        "date": cs.date,
        "branch": cs.branch,
        "tags": cs.tags,
        "phase": cs.phase,
    }
