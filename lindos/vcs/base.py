"""The abstract VCS interface every backend implements.

One ``Repository`` / ``Changeset`` / node interface, one folder per backend
(``git/``, ``hg/``) with the same file set, and one contract test suite
(``tests/vcs/test_contract.py``) run against both.

Policies shared by the backends sit in the concrete methods here: every path
from a caller passes ``normalize_path``; revisions name a changeset by full
or short hash, branch, tag or (hg) bookmark, never by revision number or
revset; history is listed newest first. Backends implement the ``_``
methods and the abstract properties.

A ``Repository`` object is a cheap handle meant to live for one request:
backends cache refs on it, so open a fresh one to see later pushes.
"""

from __future__ import annotations

import datetime
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .errors import BranchMoved, CommitRefused, PathNotFound, RevisionNotFound, VCSError
from .nodes import DirNode, FileNode, Node, SubmoduleNode
from .paths import normalize_path
from .text import split_author

__all__ = [
    "ARCHIVE_FORMATS",
    "AnnotateLine",
    "ChangedFile",
    "Changeset",
    "DirNode",
    "FileNode",
    "FileStat",
    "Node",
    "Repository",
    "SubmoduleNode",
    "normalize_path",
]

#: Archive formats ``Repository.archive`` can stream.
ARCHIVE_FORMATS = ("zip", "tar.gz", "tar.bz2")

#: Length of ``Changeset.short_id``, as in Kallithea.
SHORT_ID_LENGTH = 12


class ChangedFile(NamedTuple):
    """One file changed by a changeset against its first parent.

    ``status`` is ``'A'`` (added, including copies), ``'M'`` (modified,
    including mode changes), ``'D'`` (deleted) or ``'R'`` (renamed; then
    ``old_path`` is the former path, otherwise ``old_path`` is ``None``).
    """

    status: str
    path: str
    old_path: str | None


class FileStat(NamedTuple):
    """Lines added and deleted in one file; both are 0 for binary files."""

    path: str
    added: int
    deleted: int
    binary: bool


class AnnotateLine(NamedTuple):
    """One line of a file with the changeset that last changed it."""

    line_no: int
    changeset_id: str
    author: str
    date: datetime.datetime
    line: bytes


class Changeset(ABC):
    """One commit. Cheap fields are plain attributes; the rest is lazy.

    ``message`` and ``author`` are display text (see ``lindos.vcs.text``);
    ``date`` is the author date, timezone-aware, in the author's offset.
    """

    def __init__(
        self,
        repository: Repository,
        id: str,
        *,
        message: str,
        author: str,
        date: datetime.datetime,
        parents: list[str],
    ):
        self.repository = repository
        self.id = id
        self.message = message
        self.author = author
        self.date = date
        self.parents = parents

    @property
    def short_id(self) -> str:
        return self.id[:SHORT_ID_LENGTH]

    @property
    def author_name(self) -> str:
        return split_author(self.author)[0]

    @property
    def author_email(self) -> str:
        return split_author(self.author)[1]

    @property
    def summary(self) -> str:
        """The first line of the message."""
        return self.message.strip().split("\n", 1)[0]

    @property
    @abstractmethod
    def branch(self) -> str | None:
        """hg: the named branch. git: a branch whose tip this is, or None."""

    @property
    @abstractmethod
    def tags(self) -> list[str]:
        """Names of the tags pointing at this changeset, sorted."""

    @property
    def phase(self) -> str | None:
        """hg: ``'public'``, ``'draft'`` (or ``'secret'``, never served).
        git has no phases: None."""
        return None

    def get_node(self, path: str | None) -> Node:
        """The file, directory or submodule at ``path`` (``''`` is the root).

        Raises ``PathNotFound`` for absent and unsafe paths alike.
        """
        return self._get_node(normalize_path(path))

    def get_file_content(self, path: str) -> bytes:
        """The bytes of the file at ``path``; a directory is not found."""
        node = self.get_node(path)
        if not isinstance(node, FileNode):
            raise PathNotFound(f"not a file: {path!r}")
        return node.content

    def annotate(self, path: str) -> list[AnnotateLine]:
        """Each line of the file at ``path`` with its last-changing commit."""
        node = self.get_node(path)
        if not isinstance(node, FileNode):
            raise PathNotFound(f"not a file: {path!r}")
        return self._annotate(node.path)

    def iter_files(self) -> Iterator[FileNode]:
        """Every file (and symlink) of the tree, in no particular order;
        directories and submodules are not yielded.  For whole-tree work
        (the search index): backends override it with one pass over their
        tree storage instead of a listing per directory."""
        stack = [self.get_node("")]
        while stack:
            for node in stack.pop()._list_entries():
                if isinstance(node, FileNode):
                    yield node
                elif isinstance(node, DirNode):
                    stack.append(node)

    @abstractmethod
    def _get_node(self, path: str) -> Node: ...

    @abstractmethod
    def _annotate(self, path: str) -> list[AnnotateLine]: ...

    @abstractmethod
    def changed_files(self) -> list[ChangedFile]:
        """Files changed against the first parent, with renames detected."""

    @abstractmethod
    def diff_against_parent(self) -> bytes:
        """Git-style unified diff against the first parent (root: from empty).

        Paths carry ``a/`` and ``b/`` prefixes, renames are detected, binary
        files appear as a one-line notice without content.
        """

    @abstractmethod
    def file_stats(self) -> list[FileStat]:
        """Per-file added/deleted line counts against the first parent."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Changeset) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.short_id}>"


@dataclass(frozen=True)
class Ref:
    """A named changeset: ``kind`` is ``branch``, ``book`` (hg bookmark) or
    ``tag`` (Kallithea's spelling in its ``kind:name`` values)."""

    kind: str
    name: str
    id: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.name}"


class Repository(ABC):
    """A repository on local disk, opened read-mostly."""

    kind: str = ""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)

    # -- refs ---------------------------------------------------------------

    @property
    @abstractmethod
    def branches(self) -> dict[str, str]:
        """Branch name -> id of its tip (hg: open branches only)."""

    @property
    @abstractmethod
    def tags(self) -> dict[str, str]:
        """Tag name -> id of the changeset it names (hg: without ``tip``)."""

    @property
    def bookmarks(self) -> dict[str, str]:
        """Bookmark name -> id (hg only; git has none)."""
        return {}

    def named_refs(self) -> list[Ref]:
        """Every name a pull request's source or target may be chosen by:
        branches (the default branch first), then bookmarks, then tags,
        each group sorted by name.  The one list both the page's choices and
        the check of a chosen name come from (hg bookmarks plug in through
        ``bookmarks``)."""
        default = self.default_branch if not self.is_empty() else None
        branches = sorted(self.branches.items(), key=lambda kv: (kv[0] != default, kv[0]))
        refs = [Ref("branch", name, id) for name, id in branches]
        refs += [Ref("book", name, id) for name, id in sorted(self.bookmarks.items())]
        refs += [Ref("tag", name, id) for name, id in sorted(self.tags.items())]
        return refs

    @property
    def closed_branches(self) -> dict[str, str]:
        """hg: branches whose heads are all closed -> tip. git: none."""
        return {}

    @property
    def heads(self) -> list[str]:
        """Ids of the topological heads (changesets without children),
        newest first. git: the distinct branch tips."""
        tips = set(self.branches.values())
        return sorted(tips, key=lambda id: self.get_changeset(id).date, reverse=True)

    @property
    @abstractmethod
    def default_branch(self) -> str:
        """The branch shown when no revision is given (git: HEAD's branch)."""

    @abstractmethod
    def is_empty(self) -> bool:
        """True when the repository has no changesets yet."""

    # -- changesets ---------------------------------------------------------

    def get_changeset(self, rev: str | None = None) -> Changeset:
        """The changeset ``rev`` names; ``None`` is the default branch tip.

        ``rev`` may be a full id, a branch, a tag, an hg bookmark, or a unique
        id prefix of at least 4 hex digits, tried in that order. Raises
        ``RevisionNotFound`` otherwise, and for an empty repository.
        """
        return self._changeset(self._resolve(rev))

    def iter_changesets(
        self,
        start_rev: str | None = None,
        branch: str | None = None,
        path: str | None = None,
        offset: int = 0,
        limit: int | None = 20,
    ) -> list[Changeset]:
        """One page of history, newest first.

        History is the ancestors of ``start_rev``, else of ``branch``'s tip,
        else of the default branch tip. With ``path``, only changesets that
        touch the file or anything under the directory. Only the requested
        page is read, so page one of a huge history is fast. An empty
        repository has an empty history; an unknown revision raises.
        """
        if offset < 0 or (limit is not None and limit < 0):
            raise ValueError("offset and limit must not be negative")
        path = normalize_path(path)
        if start_rev is None and branch is None and self.is_empty():
            return []
        start_id = self._resolve(start_rev if start_rev is not None else branch)
        ids = self._history_ids(start_id, path, offset, limit)
        return [self._changeset(i) for i in ids]

    def count_changesets(self, branch: str | None = None, cap: int | None = None) -> int:
        """How many changesets the branch's history holds, at most ``cap``.

        Pass a ``cap`` on pages that only need "more than N": counting walks
        the whole history.
        """
        if branch is None and self.is_empty():
            return 0
        return self._count_history(self._resolve(branch), cap)

    def graph_changesets(
        self, rev: str | None = None, offset: int = 0, limit: int = 100, *, named_branch: str | None = None
    ) -> list[Changeset]:
        """One page of the changelog graph, newest first and every changeset
        before its parents (topological order, so lanes can be drawn).

        ``rev`` None is every branch at once (git: the history of every
        branch and tag; hg: every served changeset); otherwise the history
        of the changeset ``rev`` names. Only the page is read where the
        backend can: hg's revision numbers are topological already, git
        walks its commit-graph file (see ``refresh_indexes``).

        ``named_branch`` (hg) keeps only the changesets of that named branch,
        as Kallithea's changelog filter showed them; a git commit belongs to
        no branch of its own, so git ignores it.
        """
        if offset < 0 or limit < 0:
            raise ValueError("offset and limit must not be negative")
        if self.is_empty():
            if rev is None:
                return []
            raise RevisionNotFound("the repository is empty")
        start_id = None if rev is None else self._resolve(rev)
        return [self._changeset(i) for i in self._graph_ids(start_id, offset, limit, named_branch)]

    def children_ids(self, rev: str) -> list[str]:
        """Ids of the changesets whose parent ``rev`` is (git: among those
        reachable from a branch or tag), oldest first."""
        return self._children_ids(self._resolve(rev))

    def branches_containing(self, rev: str) -> list[str]:
        """Names of the branches whose history holds ``rev``, sorted. hg:
        the changeset's own named branch (a changeset is on one branch);
        git: every branch it can be reached from (one walk for all of them,
        using the commit-graph's generation numbers when present)."""
        return sorted(self._branches_containing(self._resolve(rev)))

    def file_diff(self, rev1: str | None, rev2: str | None, path: str, context: int = 3) -> bytes:
        """Git-style diff of the one file ``path`` from ``rev1`` to ``rev2``.

        None for a revision means "no file there" (an empty side), so the
        diff shows the file added or removed; a revision that lacks the file
        counts the same. ``context`` is the number of unchanged lines around
        each change. Raises ``PathNotFound`` if ``path`` is a file on
        neither side (a directory, or absent from both).
        """
        path = normalize_path(path)
        if not path:
            raise PathNotFound("a file diff needs a path")
        ids = [None if rev is None else self._resolve(rev) for rev in (rev1, rev2)]
        if not any(id is not None and self._is_file(id, path) for id in ids):
            raise PathNotFound(f"{path!r} is a file on neither side")
        return self._file_diff(ids[0], ids[1], path, max(0, int(context)))

    def _is_file(self, id: str, path: str) -> bool:
        try:
            return isinstance(self._changeset(id).get_node(path), FileNode)
        except PathNotFound:
            return False

    def refresh_indexes(self) -> None:
        """Bring the backend's history indexes up to date after a push
        (git: the commit-graph file that makes ``graph_changesets`` read
        only the page it shows; hg's revlogs need nothing)."""
        return None

    def iter_graph(self, include: list[str], exclude: list[str] = ()) -> Iterator[Changeset]:
        """Every changeset that is an ancestor of (or is) an id in
        ``include`` and of none in ``exclude``, parents before children.

        Any prefix of the answer is closed under ancestry, so a caller may
        stop early and remember where it got to as the heads of what it
        read (statistics count a long history over several passes). Ids
        that are not changesets here are ignored.
        """
        include = [i for i in (self._lookup_id(x) for x in include) if i]
        exclude = [i for i in (self._lookup_id(x) for x in exclude) if i]
        if not include:
            return iter(())
        return (self._changeset(i) for i in self._ancestry_ids(include, exclude))

    def has_changeset(self, id: str) -> bool:
        """True when ``id`` (a full id, or any name) names a changeset here."""
        return self._lookup_id(id) is not None

    def _lookup_id(self, id: str) -> str | None:
        try:
            return self._resolve(id)
        except RevisionNotFound:
            return None

    def _ancestry_ids(self, include: list[str], exclude: list[str]) -> Iterator[str]:
        raise NotImplementedError

    def ancestor(self, rev1: str, rev2: str) -> str | None:
        """Id of the best common ancestor (merge base), None if unrelated."""
        return self._ancestor(self._resolve(rev1), self._resolve(rev2))

    def changesets_between(self, base: str, head: str) -> list[Changeset]:
        """Changesets reachable from ``head`` but not ``base``, oldest first.

        This is what a pull request from ``head`` into ``base`` would bring.
        """
        ids = self._between_ids(self._resolve(base), self._resolve(head))
        return [self._changeset(i) for i in ids]

    def contains(self, ancestor_id: str, descendant_id: str) -> bool:
        """True if ``ancestor_id`` is ``descendant_id`` or one of its
        ancestors; both must resolve to changesets."""
        return self._is_ancestor(self._resolve(ancestor_id), self._resolve(descendant_id))

    def diff(self, rev1: str, rev2: str) -> bytes:
        """Git-style unified diff from ``rev1`` to ``rev2``, with renames
        detected and binary files reduced to a one-line notice."""
        return self._diff(self._resolve(rev1), self._resolve(rev2))

    def archive(self, rev: str | None, fmt: str, prefix: str = "") -> Iterator[bytes]:
        """Stream an archive of the tree at ``rev`` as chunks of bytes.

        ``fmt`` is one of ``ARCHIVE_FORMATS``; every member is put under
        ``prefix/`` (no directory when empty). The revision and arguments are
        checked before the first chunk, so errors surface at call time, not
        halfway through a download.
        """
        if fmt not in ARCHIVE_FORMATS:
            raise VCSError(f"unsupported archive format: {fmt!r}")
        prefix = normalize_path(prefix)
        return self._archive(self._resolve(rev), fmt, prefix)

    def commit_files(
        self,
        *,
        branch: str,
        parent: str | None,
        files: dict[str, bytes | None],
        message: str,
        author: str,
        date: datetime.datetime | None = None,
    ) -> str:
        """Commit ``files`` on top of ``parent`` as the new tip of ``branch``;
        return the new changeset's id.

        ``files`` maps a path to its new content (added or replaced; a
        replaced file keeps its executable bit) or to None (deleted).
        ``author`` is ``Name <email>``; ``date`` defaults to now.

        Policy: a commit only ever moves an existing branch forward from
        the tip its change was made from. ``parent`` must be ``branch``'s
        tip (a full id), else ``BranchMoved``; the check and the move are
        one atomic step in the repository (git: a compare-and-swap ref
        update; hg: under the repository lock), so a concurrent push is
        never overwritten. ``parent=None`` is only for the first commit of
        an empty repository, on its default branch. ``CommitRefused``: the
        branch is not a branch (a tag, ``HEAD``, a closed hg branch...), a
        path is unsafe (``normalize_path``, control characters, a ``.git``
        or ``.hg`` segment), a deleted path is no file, a written path is a
        directory, a symlink or submodule, or runs through a file, or
        nothing would change.
        """
        try:
            changes = {normalize_path(path): content for path, content in files.items()}
        except PathNotFound as exc:  # unsafe, as a path to write
            raise CommitRefused(str(exc)) from exc
        if not changes or "" in changes:
            raise CommitRefused("no file to change")
        for path in changes:
            _check_written_path(path)
        if self.is_empty():
            if parent is not None or branch != self.default_branch:
                raise CommitRefused(f"the repository is empty: only {self.default_branch!r} can be started")
            if any(content is None for content in changes.values()):
                raise CommitRefused("the repository is empty: there is nothing to delete")
            base = None
        else:
            tip = self.branches.get(branch)
            if tip is None:
                raise CommitRefused(f"not a branch: {branch!r}")
            if parent != tip:
                raise BranchMoved(f"branch {branch!r} is at {tip}, not at {parent}")
            base = self._changeset(tip)
            _check_changes(base, changes)
        when = date or datetime.datetime.now(datetime.UTC)
        # Stored as UTF-8: a name kept as surrogate escapes (not UTF-8 on
        # disk) cannot be, so it shows as "?" in the text.
        message, author = (text.encode("utf-8", "replace").decode("utf-8") for text in (message, author))
        return self._commit(branch, base.id if base else None, changes, message, author, when)

    def size_on_disk(self) -> int:
        """Bytes used by the repository's files (symlinks not followed)."""
        total = 0
        for root, _dirs, files in os.walk(self.path):
            for name in files:
                try:
                    total += os.lstat(os.path.join(root, name)).st_size
                except OSError:  # removed by a concurrent gc/push
                    pass
        return total

    def _resolve(self, rev: str | None) -> str:
        """Full id of the changeset ``rev`` names (see ``get_changeset``)."""
        if rev is None:
            if self.is_empty():
                raise RevisionNotFound("the repository is empty")
            return self._default_tip()
        if not isinstance(rev, str) or not rev or "\x00" in rev:
            raise RevisionNotFound(f"bad revision: {rev!r}")
        found = self._lookup(rev)
        if found is None:
            raise RevisionNotFound(f"unknown revision: {rev!r}")
        return found

    # -- backend hooks ------------------------------------------------------

    @abstractmethod
    def _default_tip(self) -> str: ...

    @abstractmethod
    def _commit(
        self,
        branch: str,
        parent: str | None,
        changes: dict[str, bytes | None],
        message: str,
        author: str,
        date: datetime.datetime,
    ) -> str:
        """Write the commit and move ``branch`` from ``parent`` to it in one
        atomic step (``BranchMoved`` if it no longer is at ``parent``).
        ``changes`` are already checked against ``parent``."""

    @abstractmethod
    def _lookup(self, rev: str) -> str | None:
        """Full id for a non-empty revision name, or None."""

    @abstractmethod
    def _changeset(self, id: str) -> Changeset: ...

    @abstractmethod
    def _history_ids(self, start_id: str, path: str, offset: int, limit: int | None) -> list[str]: ...

    @abstractmethod
    def _count_history(self, start_id: str, cap: int | None) -> int: ...

    @abstractmethod
    def _graph_ids(
        self, start_id: str | None, offset: int, limit: int, named_branch: str | None = None
    ) -> list[str]: ...

    @abstractmethod
    def _children_ids(self, id: str) -> list[str]: ...

    @abstractmethod
    def _branches_containing(self, id: str) -> list[str]: ...

    @abstractmethod
    def _file_diff(self, id1: str | None, id2: str | None, path: str, context: int) -> bytes: ...

    @abstractmethod
    def _ancestor(self, id1: str, id2: str) -> str | None: ...

    @abstractmethod
    def _between_ids(self, base_id: str, head_id: str) -> list[str]: ...

    @abstractmethod
    def _is_ancestor(self, ancestor_id: str, descendant_id: str) -> bool: ...

    @abstractmethod
    def _diff(self, id1: str, id2: str) -> bytes: ...

    @abstractmethod
    def _archive(self, id: str, fmt: str, prefix: str) -> Iterator[bytes]: ...

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path!r}>"


#: Directory names the tools keep their own data in: a tree holding one
#: would be refused by ``git fsck`` or hg's path auditor, and could
#: overwrite a client's repository on checkout.
_RESERVED_SEGMENTS = frozenset({".git", ".hg"})


def _check_written_path(path: str) -> None:
    """Refuse a path no checkout could hold safely: a control character
    (hg's manifest cannot hold a newline) or a ``.git``/``.hg`` segment in
    any case (case-insensitive file systems)."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        raise CommitRefused(f"control character in path: {path!r}")
    if any(segment.lower() in _RESERVED_SEGMENTS for segment in path.split("/")):
        raise CommitRefused(f"reserved name in path: {path!r}")


def _check_changes(base: Changeset, changes: dict[str, bytes | None]) -> None:
    """Refuse changes that make no sense against ``base`` (see
    ``Repository.commit_files``)."""
    changed = False
    for path, content in changes.items():
        segments = path.split("/")
        for end in range(1, len(segments)):
            try:
                above = base.get_node("/".join(segments[:end]))
            except PathNotFound:
                break
            if not isinstance(above, DirNode):
                raise CommitRefused(f"{'/'.join(segments[:end])!r} is not a directory")
        try:
            node = base.get_node(path)
        except PathNotFound:
            node = None
        if node is not None and not isinstance(node, FileNode):
            raise CommitRefused(f"{path!r} is not a file")
        if node is not None and node.is_symlink:
            raise CommitRefused(f"{path!r} is a symbolic link")
        if content is None and node is None:
            raise CommitRefused(f"{path!r} does not exist")
        if node is None or content is None or node.content != content:
            changed = True
    if not changed:
        raise CommitRefused("nothing changes")
