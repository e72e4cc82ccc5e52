"""Reading and tidying refs of a served git repository after a push."""

from __future__ import annotations

import pygit2

#: Branches HEAD is pointed at, in order of preference, when it dangles.
PREFERRED_BRANCHES = ("main", "master")


def current_ref(repo_path: str, ref: str) -> str | None:
    """The full hash ``ref`` points at now; None if it does not exist."""
    try:
        return str(pygit2.Repository(repo_path).lookup_reference(ref).resolve().target)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        return None


def fix_dangling_head(repo_path: str, pushed_branches: list[str]) -> str | None:
    """Point HEAD at a branch that exists if it names one that doesn't.

    A new bare repository's HEAD names ``master``; when the first push
    brings only ``main`` (git's newer default), clones would check out
    nothing. Prefers main, then master, then the first branch pushed.
    Returns the branch HEAD was moved to, or None.
    """
    repository = pygit2.Repository(repo_path)
    try:
        repository.head  # noqa: B018  (raises if HEAD does not resolve)
        return None
    except pygit2.GitError:
        pass
    branches = set(repository.branches.local)
    if not branches:
        return None
    for name in [*PREFERRED_BRANCHES, *pushed_branches, *sorted(branches)]:
        if name in branches:
            repository.set_head(f"refs/heads/{name}")
            return name
    return None
