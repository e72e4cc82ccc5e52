"""Writing a commit into a bare git repository without a work tree.

The tree is built in an in-memory index read from the parent's tree (no
file ever touches the disk outside the object store); the commit object is
written with pygit2; the branch is then moved by ``git update-ref NEW OLD``,
which git documents as a compare-and-swap: it takes the ref's lock and
refuses unless the ref still holds OLD (the all-zero id: does not exist
yet). A push that landed in between keeps its commits; ours is left
unreferenced and goes away with the next ``git gc``.
"""

from __future__ import annotations

import datetime
import subprocess

import pygit2

from ..errors import BranchMoved, VCSError
from ..process import git_command, git_env
from ..text import split_author

ZERO_ID = "0" * 40


def signature(author: str, when: datetime.datetime) -> pygit2.Signature:
    name, email = split_author(author)
    offset = when.utcoffset() or datetime.timedelta(0)
    return pygit2.Signature(name, email, int(when.timestamp()), int(offset.total_seconds() // 60))


def build_tree(repo: pygit2.Repository, parent: str | None, changes: dict[str, bytes | None]) -> pygit2.Oid:
    """The tree of ``parent`` with ``changes`` applied; a replaced file
    keeps its mode (the executable bit)."""
    index = pygit2.Index()
    if parent is not None:
        index.read_tree(repo[parent].tree)
    for path, content in changes.items():
        if content is None:
            index.remove(path)
            continue
        existing = index[path] if path in index else None
        mode = existing.mode if existing is not None else pygit2.GIT_FILEMODE_BLOB
        index.add(pygit2.IndexEntry(path, repo.create_blob(content), mode))
    return index.write_tree(repo)


def commit(
    repo: pygit2.Repository,
    git_dir: str,
    branch: str,
    parent: str | None,
    changes: dict[str, bytes | None],
    message: str,
    author: str,
    date: datetime.datetime,
) -> str:
    tree = build_tree(repo, parent, changes)
    sig = signature(author, date)
    new = str(repo.create_commit(None, sig, sig, message, tree, [parent] if parent else []))
    ref = f"refs/heads/{branch}"
    proc = subprocess.run(
        git_command(git_dir, "update-ref", "-m", "lindos: commit from the web", ref, new, parent or ZERO_ID),
        env=git_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        now = _read_ref(repo, ref)
        if now != parent:
            raise BranchMoved(f"branch {branch!r} moved to {now} meanwhile")
        raise VCSError(f"moving {ref} failed: {message}")
    return new


def _read_ref(repo: pygit2.Repository, ref: str) -> str | None:
    found = repo.references.get(ref)
    if found is None:
        return None
    return str(found.resolve().target)
