"""Zip and tar archives written from a list of members, as a stream.

The git backend lets ``git archive`` do this; the hg backend builds its
archives here, because Mercurial's own archiver cannot write a zip member
whose name is not UTF-8 (``zipfile`` only knows ASCII and UTF-8 names).

Policy, chosen so an hg archive lists the same names as ``git archive`` of
the same tree:

* names are the repository's bytes, unchanged. In a zip, a UTF-8 name gets
  the "language encoding" flag (bit 11) and any other name is written raw
  without it, as git does; in a tar, names go in PAX headers (raw bytes
  marked ``hdrcharset=BINARY`` when they are not UTF-8).
* every directory gets its own entry, the prefix directory included.
* timestamps are the changeset's; compressed streams carry no time of their
  own (gzip mtime 0, like ``git archive``), so one revision always gives the
  same bytes.

Each member's content is read only when its turn comes and each chunk is
handed on as soon as it is written, so at most one file is held in memory.
"""

from __future__ import annotations

import datetime
import io
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from .process import bzip2_stream
from .text import name_str

#: Zip "general purpose" flag: the member name is UTF-8 (APPNOTE 4.4.4).
_ZIP_UTF8_FLAG = 0x800
_ZIP_CREATOR_UNIX = 3
_S_IFREG, _S_IFDIR, _S_IFLNK = 0o100000, 0o040000, 0o120000


class ArchiveMember(NamedTuple):
    """One file or symlink. ``path`` is relative to the archive's prefix;
    ``read`` returns the content (for a symlink, the link target)."""

    path: bytes
    executable: bool
    symlink: bool
    read: Callable[[], bytes]


def stream_archive(members: Iterable[ArchiveMember], fmt: str, prefix: bytes, mtime: int) -> Iterator[bytes]:
    """The archive of ``members`` in ``fmt`` (``zip``, ``tar.gz`` or
    ``tar.bz2``), every name under ``prefix/`` (none when empty)."""
    members = sorted(members, key=lambda m: m.path)
    entries = _with_directories(members, prefix)
    if fmt == "zip":
        return _zip_stream(entries, mtime)
    tar = _tar_stream(entries, mtime)
    if fmt == "tar.gz":
        return _gzip_stream(tar)
    if fmt == "tar.bz2":
        return bzip2_stream(tar)
    raise ValueError(f"unsupported archive format: {fmt!r}")


def _with_directories(members, prefix: bytes):
    """``(full name, member or None for a directory)`` in archive order:
    each directory just before the first thing inside it."""
    seen: set[bytes] = set()
    base = prefix + b"/" if prefix else b""
    if prefix:
        seen.add(prefix)
        yield prefix, None
    for member in members:
        parts = member.path.split(b"/")
        for depth in range(1, len(parts)):
            directory = base + b"/".join(parts[:depth])
            if directory not in seen:
                seen.add(directory)
                yield directory, None
        yield base + member.path, member


class _Sink:
    """A write-only file collecting what an archiver writes. Having no
    ``tell``/``seek`` puts ``zipfile`` into its streaming mode (sizes and
    CRCs in data descriptors after each member)."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class _RawNameZipInfo(zipfile.ZipInfo):
    """A zip member whose name is written as the repository's bytes.

    ``zipfile`` would encode the name as UTF-8 and fail on a non-UTF-8 one
    (kept as surrogates by ``name_str``). ``_encodeFilenameFlags`` is the
    one place (CPython 3.x) where it encodes names, for the local header and
    the central directory alike.
    """

    def _encodeFilenameFlags(self):
        raw = self.filename.encode("utf-8", "surrogateescape")
        if raw.isascii():
            return raw, self.flag_bits
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw, self.flag_bits  # raw bytes, as git writes them
        return raw, self.flag_bits | _ZIP_UTF8_FLAG


def _zip_stream(entries, mtime: int) -> Iterator[bytes]:
    when = datetime.datetime.fromtimestamp(max(mtime, 315532800), datetime.UTC)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, member in entries:
            text = name_str(name) + ("/" if member is None else "")
            info = _RawNameZipInfo(text, when.timetuple()[:6])
            info.create_system = _ZIP_CREATOR_UNIX
            info.external_attr = _mode(member) << 16
            if member is None:
                info.external_attr |= 0x10  # MS-DOS directory attribute
                zf.writestr(info, b"", compress_type=zipfile.ZIP_STORED)
            else:
                # A ZipInfo brings its own compression (stored by default),
                # whatever the ZipFile's is.
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, member.read())
            yield from _nonempty(sink.take())
    yield from _nonempty(sink.take())


def _tar_stream(entries, mtime: int) -> Iterator[bytes]:
    sink = _Sink()
    with tarfile.open(
        fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT, encoding="utf-8", errors="surrogateescape"
    ) as tf:
        for name, member in entries:
            info = tarfile.TarInfo(name_str(name))
            info.mtime = mtime
            info.mode = _mode(member) & 0o7777
            if member is None:
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            elif member.symlink:
                info.type = tarfile.SYMTYPE
                info.linkname = name_str(member.read())
                tf.addfile(info)
            else:
                data = member.read()
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
            yield from _nonempty(sink.take())
    yield from _nonempty(sink.take())


def _mode(member: ArchiveMember | None) -> int:
    if member is None:
        return _S_IFDIR | 0o755
    if member.symlink:
        return _S_IFLNK | 0o777
    return _S_IFREG | (0o755 if member.executable else 0o644)


def _nonempty(data: bytes) -> Iterator[bytes]:
    if data:
        yield data


def _gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """gzip a stream incrementally; the header carries no name and mtime 0
    (``gzip -n``), as ``git archive --format=tar.gz`` writes it."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        out = compressor.compress(chunk)
        if out:
            yield out
    yield compressor.flush()
