"""File-tree nodes shared by every backend.

A node is one entry of a changeset's tree: a file, a directory, or a
submodule (git submodule / hg subrepository). Backends subclass the
abstract nodes here and supply the storage lookups; the policies that must
look the same whatever the backend (binary detection, MIME type, listing
order) live here once.
"""

from __future__ import annotations

import mimetypes
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from .paths import base_name

if TYPE_CHECKING:
    from .base import Changeset

# Git's own heuristic (buffer_is_binary in xdiff-interface.c): a NUL byte in
# the first 8000 bytes means binary.
BINARY_SNIFF_BYTES = 8000

#: Files up to this size are read whole (one cheap library call); larger
#: ones are streamed where the backend can, so a download of a huge file
#: never sits whole in the server's memory.
STREAM_THRESHOLD = 1024 * 1024

#: Size of the chunks ``iter_content`` yields.
CHUNK_SIZE = 64 * 1024

#: How many big files a process reads whole at once when its backend cannot
#: stream them (Mercurial rebuilds a file revision in memory, with a few
#: transient copies): the rest wait their turn instead of adding up.
WHOLE_READS = 2
_whole_reads = threading.BoundedSemaphore(WHOLE_READS)


def whole_read():
    """Hold one of the ``WHOLE_READS`` turns while reading a big file
    whole (a context manager)."""
    return _whole_reads


def _resume(read: bytes, stream: Iterator[bytes]) -> Iterator[bytes]:
    """What a stream would have yielded: the part read ahead, then the
    rest; closing this closes the stream."""
    try:
        if read:
            yield read
        yield from stream
    finally:
        stream.close()


class Node:
    """One entry of a changeset's tree, addressed by its path from the root."""

    kind: str = ""

    def __init__(self, changeset: Changeset, path: str):
        self.changeset = changeset
        self.path = path

    @property
    def name(self) -> str:
        """The last path segment; ``''`` for the root directory."""
        return base_name(self.path)

    @property
    def is_file(self) -> bool:
        return self.kind == "file"

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path!r} @ {self.changeset.short_id}>"


class FileNode(Node, ABC):
    """A file (or symlink) in a changeset.

    Content is read lazily and kept, so a node read once is cheap to ask
    again. A symlink is presented as a small file whose content is the link
    target: links are never followed, on disk or in the tree.
    """

    kind = "file"

    #: ``(bytes read, open stream)`` once ``head`` started streaming.
    _started: tuple[bytes, Iterator[bytes]] | None = None

    @property
    @abstractmethod
    def size(self) -> int:
        """Size of the content in bytes, without reading the content."""

    @property
    @abstractmethod
    def blob_id(self) -> str:
        """An immutable hex id of this content, usable as a cache key."""

    @property
    @abstractmethod
    def is_symlink(self) -> bool:
        """True if the entry is a symbolic link (content is its target)."""

    @property
    @abstractmethod
    def is_executable(self) -> bool:
        """True if the entry carries the executable bit."""

    @abstractmethod
    def _read_content(self) -> bytes:
        """Fetch the content from storage."""

    def _stream_content(self) -> Iterator[bytes]:
        """The content in chunks, for files over ``STREAM_THRESHOLD``.

        Backends that can read a file without holding it whole override
        this. The fallback must read it whole: it does so at most
        ``WHOLE_READS`` at a time in the process, spools it to an unlinked
        temporary file and streams that, so memory holds a few files being
        read, never one per slow download.
        """
        spool = tempfile.TemporaryFile()
        try:
            with whole_read():
                data = self._read_content()
                spool.write(data)
                del data
            spool.seek(0)
            while chunk := spool.read(CHUNK_SIZE):
                yield chunk
        finally:
            spool.close()

    @cached_property
    def content(self) -> bytes:
        """The whole content, kept on the node: for pages that need it all
        (highlighting, diffs), not for downloads (see ``iter_content``)."""
        return self._read_content()

    def _whole_is_cheap(self) -> bool:
        return "content" in self.__dict__ or self.size <= STREAM_THRESHOLD

    def iter_content(self) -> Iterator[bytes]:
        """The content as chunks of at most ``CHUNK_SIZE`` bytes; a file
        over ``STREAM_THRESHOLD`` is streamed from storage where the
        backend allows, and never kept on the node. A stream ``head``
        started is picked up where it stopped, not read twice."""
        if self._whole_is_cheap():
            data = self.content
            return iter([data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)])
        started, self._started = self._started, None
        if started is None:
            return self._stream_content()
        return _resume(*started)

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes, without reading a big file whole
        where the backend can stream it."""
        if self._whole_is_cheap():
            return self.content[:size]
        read, stream = self._started or (b"", self._stream_content())
        # Kept open for iter_content; if nobody asks, the node's end closes
        # the generator, which stops its subprocess or temporary file.
        self._started = (read, stream)
        while len(read) < size:
            chunk = next(stream, None)
            if chunk is None:
                break
            read += chunk
            self._started = (read, stream)
        return read[:size]

    @property
    def is_binary(self) -> bool:
        """Git's rule: a NUL byte within the first 8000 bytes."""
        return b"\x00" in self.head(BINARY_SNIFF_BYTES)

    @property
    def mimetype(self) -> str:
        """MIME type guessed from the name, for choosing a renderer.

        Symlinks are always ``text/plain``: their content is a path, whatever
        the link is called. Unknown names fall back on the content:
        ``application/octet-stream`` if binary, else ``text/plain``.
        """
        if self.is_symlink:
            return "text/plain"
        guessed, _encoding = mimetypes.guess_type(self.name, strict=False)
        if guessed:
            return guessed
        return "application/octet-stream" if self.is_binary else "text/plain"

    def last_changeset(self) -> Changeset:
        """The newest changeset, up to this node's one, touching this path."""
        found = self.changeset.repository.iter_changesets(
            start_rev=self.changeset.id, path=self.path, limit=1
        )
        # The path exists here, so something added it: found is never empty
        # except in a shallow or grafted history; fall back on ourselves.
        return found[0] if found else self.changeset


class DirNode(Node, ABC):
    """A directory in a changeset; the root directory has path ``''``."""

    kind = "dir"

    @abstractmethod
    def _list_entries(self) -> list[Node]:
        """The direct children, in any order."""

    def entries(self) -> list[Node]:
        """Children sorted for display: directories and submodules first,
        then files, each group by name (code point order, like git)."""
        return sorted(self._list_entries(), key=lambda node: (node.kind == "file", node.name))


class SubmoduleNode(Node):
    """A pinned reference to another repository (git submodule, hg subrepo).

    ``target_id`` is the commit id the superproject records; ``url`` is the
    location from ``.gitmodules`` / ``.hgsub`` when it can be found.
    """

    kind = "submodule"

    def __init__(self, changeset: Changeset, path: str, target_id: str, url: str | None = None):
        super().__init__(changeset, path)
        self.target_id = target_id
        self.url = url
