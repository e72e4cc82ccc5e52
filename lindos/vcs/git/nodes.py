"""Git tree entries as nodes: blobs are files, trees dirs, gitlinks
submodules. Objects are read through pygit2 on demand."""

from __future__ import annotations

from collections.abc import Iterator

import pygit2

from ..nodes import DirNode, FileNode, Node, SubmoduleNode
from ..process import stream_git

MODE_TREE = 0o040000
MODE_SYMLINK = 0o120000
MODE_EXECUTABLE = 0o100755
MODE_GITLINK = 0o160000


def make_node(changeset, path: str, obj) -> Node:
    """The node for a tree entry (a pygit2 object carrying ``filemode``)."""
    mode = obj.filemode
    if mode == MODE_GITLINK:
        return SubmoduleNode(changeset, path, str(obj.id))
    if mode == MODE_TREE:
        return GitDirNode(changeset, path, obj.id)
    return GitFileNode(changeset, path, obj.id, mode)


class GitFileNode(FileNode):
    def __init__(self, changeset, path: str, oid: pygit2.Oid, mode: int):
        super().__init__(changeset, path)
        self._oid = oid
        self._mode = mode

    @property
    def _repo(self) -> pygit2.Repository:
        return self.changeset.repository._repo

    @property
    def size(self) -> int:
        # The object header gives the size without inflating the blob.
        return self._repo.odb.read_header(self._oid)[1]

    @property
    def blob_id(self) -> str:
        return str(self._oid)

    @property
    def is_symlink(self) -> bool:
        return self._mode == MODE_SYMLINK

    @property
    def is_executable(self) -> bool:
        return self._mode == MODE_EXECUTABLE

    def _read_content(self) -> bytes:
        return self._repo[self._oid].data

    def _stream_content(self) -> Iterator[bytes]:
        # libgit2 inflates a blob whole into memory (pygit2's BlobIO too:
        # it filters a blob already read). ``git cat-file`` streams loose
        # and undeltified packed objects, and whatever it must hold whole is
        # held in its own short-lived process, not in the server.
        return stream_git(self.changeset.repository.git_dir, "cat-file", "blob", str(self._oid))


class GitDirNode(DirNode):
    def __init__(self, changeset, path: str, oid: pygit2.Oid):
        super().__init__(changeset, path)
        self._oid = oid

    @property
    def tree_id(self) -> str:
        return str(self._oid)

    def _list_entries(self) -> list[Node]:
        tree = self.changeset.repository._repo[self._oid]
        prefix = self.path + "/" if self.path else ""
        # pygit2 decodes entry names with surrogateescape, matching
        # lindos.vcs.text.name_str, so names round-trip into lookups.
        return [make_node(self.changeset, prefix + entry.name, entry) for entry in tree]
