"""Mercurial manifest entries as nodes.

Mercurial has no directory objects: a directory exists when some file path
runs through it, so listings are computed from the manifest. Subrepositories
come from the changeset's ``.hgsubstate``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from mercurial.node import hex as hg_hex
from mercurial.node import nullrev

from ..nodes import STREAM_THRESHOLD, DirNode, FileNode, Node, SubmoduleNode, whole_read
from ..text import name_bytes, name_str
from .hgapi import open_hg

# Sizes of big file revisions, which Mercurial may only know by rebuilding
# the text (filelog.size does for a file's first revision, to look for
# copy metadata). A revision never changes, so its size is kept.
_SIZES_MAX = 4096
_sizes: OrderedDict[tuple[str, bytes, bytes], int] = OrderedDict()
_sizes_lock = threading.Lock()


def _known_size(key) -> int | None:
    with _sizes_lock:
        if key in _sizes:
            _sizes.move_to_end(key)
            return _sizes[key]
    return None


def _has_parent(fctx) -> bool:
    """Mercurial's filelog.size rebuilds the text only to look for copy
    metadata, which only a file's first revision (no parent) can hold."""
    return fctx.filelog().parentrevs(fctx.filerev())[0] != nullrev


def _stored_size(fctx) -> int | None:
    """The revision's size as the revlog index records it (cheap; off by
    the copy metadata, if any), or None if this Mercurial hides it."""
    try:
        return fctx.filelog()._revlog.size(fctx.filerev())
    except (AttributeError, LookupError):  # pragma: no cover - other versions
        return None


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
        fctx = self._fctx
        stored = _stored_size(fctx)
        if (stored is not None and stored <= STREAM_THRESHOLD) or _has_parent(fctx):
            return fctx.size()  # small, or known from the index
        key = (self.changeset.repository.path, self._filenode, name_bytes(self.path))
        known = _known_size(key)
        if known is not None:
            return known
        with whole_read():
            known = _known_size(key)  # found by whoever held the turn before
            if known is not None:
                return known
            size = len(self._read_content())
        with _sizes_lock:
            _sizes[key] = size
            while len(_sizes) > _SIZES_MAX:
                _sizes.popitem(last=False)
        return size

    @property
    def blob_id(self) -> str:
        # The filenode hashes content and file parents: immutable, though two
        # identical contents may have different ids (unlike a git blob id).
        return hg_hex(self._filenode).decode("ascii")

    @property
    def is_symlink(self) -> bool:
        return b"l" in self._flags

    @property
    def is_executable(self) -> bool:
        return b"x" in self._flags

    def _read_content(self) -> bytes:
        stored = _stored_size(self._fctx)
        if stored is not None and stored <= STREAM_THRESHOLD:
            return self._fctx.data()
        # A big text is read through a repository opened for the purpose:
        # the request's one would keep the rebuilt text in its revlog cache
        # for as long as the download lasts.
        ctx = self.changeset._ctx
        repo = open_hg(self.changeset.repository.path)
        return repo[ctx.node()].filectx(name_bytes(self.path), fileid=self._filenode).data()

    # No _stream_content: a file revision is stored in its filelog as a
    # chain of deltas that Mercurial rebuilds whole (revlog.revision); its
    # API and ``hg cat`` alike only hand out the complete text. The base
    # class's fallback rebuilds it (a few at a time), spools it to a
    # temporary file and streams that.


class HgDirNode(DirNode):
    def _list_entries(self) -> list[Node]:
        ctx = self.changeset._ctx
        prefix = name_bytes(self.path) + b"/" if self.path else b""
        manifest = ctx.manifest()
        files, dirs = [], set()
        for name in manifest:
            if not name.startswith(prefix):
                continue
            rest = name[len(prefix) :]
            head, slash, _tail = rest.partition(b"/")
            if slash:
                dirs.add(head)
            else:
                files.append(name)
        nodes: list[Node] = []
        subrepos = ctx.substate
        for sub in sorted(subrepos):
            head, slash, tail = sub[len(prefix) :].partition(b"/")
            if sub.startswith(prefix) and not slash:
                dirs.discard(head)
                nodes.append(make_subrepo_node(self.changeset, sub, subrepos))
        nodes.extend(HgDirNode(self.changeset, name_str(prefix + d)) for d in dirs)
        nodes.extend(HgFileNode(self.changeset, name_str(f), manifest[f], manifest.flags(f)) for f in files)
        return nodes


def make_subrepo_node(changeset, path: bytes, substate) -> SubmoduleNode:
    source, rev, _kind = substate[path]
    return SubmoduleNode(changeset, name_str(path), rev.decode("ascii"), url=name_str(source))
