"""Mercurial manifest entries as nodes.

Mercurial has no directory objects: a directory exists when some file path
runs through it, so listings are computed from the manifest. Subrepositories
come from the changeset's ``.hgsubstate``.
"""

from __future__ import annotations

from mercurial.node import hex as hg_hex

from ..nodes import DirNode, FileNode, Node, SubmoduleNode
from ..text import name_bytes, name_str


class HgFileNode(FileNode):
    def __init__(self, changeset, path: str, filenode: bytes, flags: bytes):
        super().__init__(changeset, path)
        self._filenode = filenode
        self._flags = flags

    @property
    def _fctx(self):
        ctx = self.changeset._ctx
        return ctx.filectx(name_bytes(self.path), fileid=self._filenode)

    @property
    def size(self) -> int:
        return self._fctx.size()

    @property
    def blob_id(self) -> str:
        # The filenode hashes content and file parents: immutable, though two
        # identical contents may have different ids (unlike a git blob id).
        return hg_hex(self._filenode).decode('ascii')

    @property
    def is_symlink(self) -> bool:
        return b'l' in self._flags

    @property
    def is_executable(self) -> bool:
        return b'x' in self._flags

    def _read_content(self) -> bytes:
        return self._fctx.data()

    # No _stream_content: a file revision is stored in its filelog as a
    # chain of deltas that Mercurial rebuilds whole (revlog.revision); its
    # API and ``hg cat`` alike only hand out the complete text. The base
    # class's fallback reads it once per download and slices it.


class HgDirNode(DirNode):
    def _list_entries(self) -> list[Node]:
        ctx = self.changeset._ctx
        prefix = name_bytes(self.path) + b'/' if self.path else b''
        manifest = ctx.manifest()
        files, dirs = [], set()
        for name in manifest:
            if not name.startswith(prefix):
                continue
            rest = name[len(prefix):]
            head, slash, _tail = rest.partition(b'/')
            if slash:
                dirs.add(head)
            else:
                files.append(name)
        nodes: list[Node] = []
        subrepos = ctx.substate
        for sub in sorted(subrepos):
            head, slash, tail = sub[len(prefix):].partition(b'/')
            if sub.startswith(prefix) and not slash:
                dirs.discard(head)
                nodes.append(make_subrepo_node(self.changeset, sub, subrepos))
        nodes.extend(HgDirNode(self.changeset, name_str(prefix + d))
                     for d in dirs)
        nodes.extend(HgFileNode(self.changeset, name_str(f), manifest[f],
                                manifest.flags(f)) for f in files)
        return nodes


def make_subrepo_node(changeset, path: bytes, substate) -> SubmoduleNode:
    source, rev, _kind = substate[path]
    return SubmoduleNode(changeset, name_str(path), rev.decode('ascii'),
                         url=name_str(source))
