"""A git repository (bare or not) through pygit2, with ``git`` subprocesses
for path-limited history, counting, diffs and archives."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from functools import cached_property

import pygit2
from pygit2.enums import RepositoryOpenFlag, SortMode

from ..base import Repository
from ..errors import RepositoryNotFound
from ..process import bzip2_stream, run_git, stream_git
from . import commit as git_commit
from .changeset import GitChangeset

# Object ids as long as this libgit2 build makes them (40 hex digits:
# SHA-1). A 64-digit SHA-256 id is no id here but an unknown name, not the
# InvalidError libgit2 would raise for it.
_HEX_LENGTH = pygit2.GIT_OID_HEXSZ
_FULL_ID = re.compile(rf"^[0-9a-f]{{{_HEX_LENGTH}}}$")
_ID_PREFIX = re.compile(rf"^[0-9a-f]{{4,{_HEX_LENGTH - 1}}}$")

# What libgit2 raises for a name it cannot use: unknown (KeyError),
# ambiguous or malformed (ValueError, of which InvalidError is one), or
# anything else it refuses (GitError).
_LOOKUP_ERRORS = (KeyError, ValueError, pygit2.GitError)

_ARCHIVE_ARGS = {"zip": "zip", "tar.gz": "tar.gz", "tar.bz2": "tar"}

# The empty tree: git knows it without storing it, so a diff from "no
# file" needs no object in the repository.
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

# Branch names tried, in order, when HEAD is detached or names no branch.
_FALLBACK_BRANCHES = ("main", "master")


def open_pygit2(path: str) -> pygit2.Repository:
    """Open exactly ``path`` (a bare repo or a work tree), never a parent
    directory's repository."""
    try:
        return pygit2.Repository(path, RepositoryOpenFlag.NO_SEARCH)
    except (pygit2.GitError, KeyError) as exc:
        raise RepositoryNotFound(f"no git repository at {path}") from exc


def _peel_commit(obj) -> str | None:
    try:
        return str(obj.peel(pygit2.Commit).id)
    except (pygit2.GitError, ValueError, KeyError, TypeError):
        return None  # a tag of a tree or blob names no changeset


class GitRepository(Repository):
    kind = "git"

    def __init__(self, path: str):
        self._repo = open_pygit2(path)
        super().__init__(path)
        #: The directory holding objects and refs (``.git`` in a work tree).
        self.git_dir = self._repo.path

    def borrow_objects(self, other: GitRepository) -> None:
        """Let this handle read ``other``'s objects too, in memory only
        (an alternate object store that is never written to disk): a pull
        request's preview compares a fork with its parent without copying
        anything into either."""
        self._repo.odb.add_disk_alternate(os.path.join(other.git_dir, "objects"))

    # -- refs ---------------------------------------------------------------

    @cached_property
    def _refs(self) -> tuple[dict[str, str], dict[str, str]]:
        """(branches, tags), read once per handle."""
        branches, tags = {}, {}
        for name in self._repo.references:
            for prefix, table in (("refs/heads/", branches), ("refs/tags/", tags)):
                if name.startswith(prefix):
                    target = _peel_commit(self._repo.references[name])
                    if target:
                        table[name[len(prefix) :]] = target
        return branches, tags

    @property
    def branches(self) -> dict[str, str]:
        return dict(self._refs[0])

    @property
    def tags(self) -> dict[str, str]:
        return dict(self._refs[1])

    @cached_property
    def default_branch(self) -> str:
        head = self._repo.references.get("HEAD")
        target = head.target if head is not None else None
        if isinstance(target, str) and target.startswith("refs/heads/"):
            return target[len("refs/heads/") :]
        branches = self._refs[0]
        for name in _FALLBACK_BRANCHES:
            if name in branches:
                return name
        return min(branches) if branches else "master"

    def is_empty(self) -> bool:
        return not self._refs[0] and self._repo.head_is_unborn

    @cached_property
    def _names_by_tip(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """(tip -> branch names, tip -> tag names), sorted: a changelog
        page asks every row for its branch and tags."""
        tables: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})
        for refs, table in zip(self._refs, tables):
            for name in sorted(refs):
                table.setdefault(refs[name], []).append(name)
        return tables

    def _branch_at(self, id: str) -> str | None:
        """A branch whose tip is ``id``, preferring the default branch."""
        names = self._names_by_tip[0].get(id, [])
        if self.default_branch in names:
            return self.default_branch
        return names[0] if names else None

    def _tags_at(self, id: str) -> list[str]:
        return list(self._names_by_tip[1].get(id, []))

    # -- lookups ------------------------------------------------------------

    def _default_tip(self) -> str:
        branches = self._refs[0]
        if self.default_branch in branches:
            return branches[self.default_branch]
        if not self._repo.head_is_unborn:  # detached HEAD
            return str(self._repo.head.target)
        return branches[min(branches)]

    def _lookup(self, rev: str) -> str | None:
        branches, tags = self._refs
        if _FULL_ID.match(rev):
            try:
                obj = self._repo.get(rev)
            except _LOOKUP_ERRORS:
                return None
            return _peel_commit(obj) if obj is not None else None
        if rev in branches:
            return branches[rev]
        if rev in tags:
            return tags[rev]
        if _ID_PREFIX.match(rev):
            # Only hex digits reach revparse: never git's revision syntax
            # (``..``, ``^``, ``~``, ``@{-1}``, ``:/text``).
            try:
                return _peel_commit(self._repo.revparse_single(rev))
            except _LOOKUP_ERRORS:
                return None  # unknown or ambiguous prefix
        return None

    def _changeset(self, id: str) -> GitChangeset:
        return GitChangeset(self, self._repo[id])

    # -- history ------------------------------------------------------------

    def _history_ids(self, start_id, path, offset, limit):
        if path:
            # git's own path limiting (with its history simplification) is
            # far faster than diffing every commit through pygit2.
            args = ["rev-list", f"--skip={offset}"]
            if limit is not None:
                args.append(f"--max-count={limit}")
            out = run_git(self.git_dir, *args, start_id, "--", path)
            return out.decode("ascii").split()
        # No explicit sort: libgit2's default is git's own order (newest
        # first by commit date) and streams; SortMode.TIME would read the
        # whole history before yielding the first commit (11 ms vs 0.2 ms
        # for page one of 2,000 commits on a freshly opened repository).
        walker = self._repo.walk(start_id, SortMode.NONE)
        stop = None if limit is None else offset + limit
        return [str(c.id) for c in itertools.islice(walker, offset, stop)]

    def _count_history(self, start_id, cap):
        args = ["rev-list", "--count"]
        if cap is not None:
            args.append(f"--max-count={cap}")
        return int(run_git(self.git_dir, *args, start_id))

    def _ref_tips(self) -> bytes:
        """Every branch and tag tip (peeled), one per line, for ``--stdin``:
        the command line stays short with thousands of tags, and a tag of a
        tree or blob never reaches rev-list."""
        branches, tags = self._refs
        tips = dict.fromkeys([*branches.values(), *tags.values()])
        return "".join(f"{id}\n" for id in tips).encode("ascii")

    def _has_commit_graph(self) -> bool:
        info = os.path.join(self.git_dir, "objects", "info")
        return os.path.exists(os.path.join(info, "commit-graph")) or os.path.isdir(
            os.path.join(info, "commit-graphs")
        )

    def _graph_ids(self, start_id, offset, limit, named_branch=None):
        if limit == 0:
            return []
        # --topo-order streams only with the commit-graph's generation
        # numbers; without them git reads the whole history first (seconds
        # on 100,000 commits). Git's plain order (newest commit date first)
        # streams and is topological unless clocks were skewed; the graph
        # builder copes with the rare parent listed above its child.
        order = ["--topo-order"] if self._has_commit_graph() else []
        args = ["rev-list", *order, f"--skip={offset}", f"--max-count={limit}", "--stdin"]
        stdin = self._ref_tips() if start_id is None else f"{start_id}\n".encode("ascii")
        return run_git(self.git_dir, *args, input=stdin).decode("ascii").split()

    def _children_ids(self, id):
        stdin = self._ref_tips() + f"^{id}\n".encode("ascii")
        out = run_git(self.git_dir, "rev-list", "--parents", "--ancestry-path", "--stdin", input=stdin)
        children = [line.split()[0] for line in out.decode("ascii").splitlines() if id in line.split()[1:]]
        return children[::-1]

    def _branches_containing(self, id):
        # libgit2's descendant_of takes seconds per branch on a long
        # history; git answers for every branch in one walk.
        out = run_git(self.git_dir, "for-each-ref", "--contains", id, "--format=%(refname)", "refs/heads/")
        names = out.decode("utf-8", "surrogateescape").splitlines()
        branches = self._refs[0]
        return [n[len("refs/heads/") :] for n in names if n[len("refs/heads/") :] in branches]

    def _file_diff(self, id1, id2, path, context):
        sides = [id if id is not None else _EMPTY_TREE for id in (id1, id2)]
        return run_git(
            self.git_dir,
            "diff",
            f"-U{context}",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            *sides,
            "--",
            path,  # literal: git_env sets GIT_LITERAL_PATHSPECS
        )

    def refresh_indexes(self) -> None:
        # --split adds a small layer per push instead of rewriting the file.
        run_git(self.git_dir, "commit-graph", "write", "--reachable", "--split")

    def _ancestor(self, id1, id2):
        base = self._repo.merge_base(id1, id2)
        return str(base) if base is not None else None

    def _between_ids(self, base_id, head_id):
        walker = self._repo.walk(head_id, SortMode.TOPOLOGICAL | SortMode.TIME | SortMode.REVERSE)
        walker.hide(base_id)
        return [str(c.id) for c in walker]

    def _ancestry_ids(self, include, exclude):
        walker = self._repo.walk(include[0], SortMode.TOPOLOGICAL | SortMode.REVERSE)
        for id in include[1:]:
            walker.push(id)
        for id in exclude:
            walker.hide(id)
        return (str(c.id) for c in walker)

    def _is_ancestor(self, ancestor_id, descendant_id):
        return ancestor_id == descendant_id or self._repo.descendant_of(descendant_id, ancestor_id)

    # -- writing ------------------------------------------------------------

    def _commit(self, branch, parent, changes, message, author, date):
        return git_commit.commit(self._repo, self.git_dir, branch, parent, changes, message, author, date)

    # -- diffs and archives -------------------------------------------------

    def _diff(self, id1, id2):
        return run_git(self.git_dir, "diff", "-M", "--no-color", "--no-ext-diff", "--no-textconv", id1, id2)

    def _archive(self, id, fmt, prefix) -> Iterator[bytes]:
        args = ["archive", f"--format={_ARCHIVE_ARGS[fmt]}"]
        if prefix:
            args.append(f"--prefix={prefix}/")
        chunks = stream_git(self.git_dir, *args, id)
        return bzip2_stream(chunks) if fmt == "tar.bz2" else chunks
