"""Turning the REV and PATH parts of a browser URL into VCS objects, or 404.

Policy: REV is a full or short changeset id, a branch, a tag or a bookmark;
an absent REV means the repository's landing revision, and so does ``tip``
(Kallithea's word, kept for old links) in a git repository. In a Mercurial
repository ``tip`` is Mercurial's tip, the newest changeset of any branch,
and is also what an absent REV shows when no landing revision is set
(Kallithea's ``rev:tip``). Branch and tag names may contain slashes
(``feature/x``), so in ``REV/PATH`` the first segment is tried as a
revision, then longer prefixes that are exactly a known ref name. A name
that resolves to nothing, an unsafe path and a missing path are all 404.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import Http404

from lindos.vcs.errors import PathNotFound, RevisionNotFound, VCSError
from lindos.vcs.text import name_str

TIP_NAMES = ("tip", "HEAD")


def landing_rev(db_repo) -> str | None:
    """The revision shown when a URL names none (Kallithea's landing rev).

    Kallithea stores it as ``rev:tip`` or ``branch:NAME``; a bare name is
    accepted too. ``None`` means the default branch tip.
    """
    value = getattr(db_repo, "landing_rev", None) or ""
    if not isinstance(value, str):
        return None
    _kind, _, name = value.rpartition(":")
    return None if name in ("", *TIP_NAMES) else name


def get_changeset_or_404(vcs_repo, rev: str | None, default: str | None = None):
    """The changeset ``rev`` names (``default`` for none/tip), else 404."""
    if rev in (None, "", *TIP_NAMES):
        hg_tip = vcs_repo.kind == "hg" and rev != "HEAD" and (rev == "tip" or default is None)
        rev = "tip" if hg_tip else default
    try:
        return vcs_repo.get_changeset(rev)
    except RevisionNotFound:
        if rev == default and default is not None:
            # A landing revision that vanished falls back on the default tip.
            try:
                return vcs_repo.get_changeset(None)
            except RevisionNotFound:
                pass
        raise Http404("unknown revision")
    except VCSError:
        raise Http404("unknown revision")


def _ref_names(vcs_repo) -> set[str]:
    return set(vcs_repo.branches) | set(vcs_repo.tags) | set(vcs_repo.bookmarks)


def split_rev_path(vcs_repo, rest: str | None, default: str | None = None):
    """``(changeset, rev_text, path)`` from a URL tail ``REV/PATH``.

    ``rev_text`` is the revision as written, to keep links on the same
    branch name rather than jumping to a hash.
    """
    rest = (rest or "").lstrip("/")
    if not rest:
        return get_changeset_or_404(vcs_repo, None, default), "tip", ""
    segments = rest.split("/")
    first = segments[0]
    try:
        cs = get_changeset_or_404(vcs_repo, first, default)
        return cs, first, "/".join(segments[1:])
    except Http404:
        refs = _ref_names(vcs_repo)
        for end in range(2, len(segments) + 1):
            name = "/".join(segments[:end])
            if name in refs:
                cs = get_changeset_or_404(vcs_repo, name, default)
                return cs, name, "/".join(segments[end:])
        raise


def get_node_or_404(changeset, path: str):
    """The node at ``path`` in ``changeset``; unsafe or absent paths 404.

    A path whose name is not UTF-8 reaches us still percent-encoded (Django
    re-quotes undecodable bytes), so that form is tried as a second chance.
    """
    try:
        return changeset.get_node(path)
    except PathNotFound:
        if "%" in path:
            try:
                return changeset.get_node(name_str(unquote_to_bytes(path)))
            except (PathNotFound, VCSError):
                pass
        raise Http404("no such path")
    except VCSError:
        raise Http404("no such path")


def get_file_or_404(changeset, path: str):
    """The file at ``path`` in ``changeset``: as ``get_node_or_404``, and a
    directory 404s too."""
    node = get_node_or_404(changeset, path)
    if node.kind != "file":
        raise Http404("not a file")
    return node
