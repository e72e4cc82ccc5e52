"""Archives kept on disk, so a second download is a file read.

An archive of a changeset never changes (same tree, same names, same
timestamps: ``git archive`` and ``lindos.vcs.archives`` write the same
bytes every time), so it is kept under a key made of the repository kind,
the changeset id, the format and the folder name inside the archive, in
``cache_dir/archives``.  That key is also the response's strong ETag: a
browser or ``curl --etag-compare`` asking again gets 304.

The first download is streamed to the client as it is produced and written
to a temporary file at the same time; only a complete archive is moved
into place (a dropped download leaves nothing behind).  The folder is kept
under ``archive_cache_size`` bytes by removing the least recently
downloaded archives (a hit refreshes the file's modification time; access
times are unreliable under ``noatime``).  An archive larger than the whole
cap is streamed and not kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from collections.abc import Iterable, Iterator

log = logging.getLogger(__name__)

#: Bump when archives' bytes change (a different git version does not
#: count: old entries keep being served as the bytes they were).
_CACHE_VERSION = 1
#: Temporary files older than this are leftovers of a killed process.
STALE_TEMP_SECONDS = 3600


def archive_key(kind: str, changeset_id: str, fmt: str, prefix: str) -> str:
    text = f"{_CACHE_VERSION}\0{kind}\0{changeset_id}\0{fmt}\0{prefix}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def etag_of(key: str) -> str:
    return f'"{key[:40]}"'


class ArchiveCache:
    def __init__(self, folder: str, max_bytes: int):
        self.folder = folder
        self.max_bytes = max_bytes

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def path_of(self, key: str) -> str:
        return os.path.join(self.folder, key)

    def lookup(self, key: str) -> str | None:
        """The stored archive's path, its use recorded; None when absent."""
        if not self.enabled:
            return None
        path = self.path_of(key)
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def stream_and_store(self, chunks: Iterable[bytes], key: str) -> Iterator[bytes]:
        """Yield ``chunks`` and keep a copy; the copy is stored only if the
        stream ended normally and it fits under the cap."""
        if not self.enabled:
            yield from chunks
            return
        temp = os.path.join(self.folder, f".tmp-{uuid.uuid4().hex}")
        out = None
        try:
            os.makedirs(self.folder, exist_ok=True)
            out = open(temp, "wb")
        except OSError as exc:
            log.warning("archive cache: cannot write in %s: %s", self.folder, exc)
        written = 0
        complete = False
        try:
            for chunk in chunks:
                if out is not None:
                    written += len(chunk)
                    try:
                        if written > self.max_bytes:
                            raise OSError("larger than archive_cache_size")
                        out.write(chunk)
                    except OSError:
                        out.close()
                        out = None
                        _unlink(temp)
                yield chunk
            complete = True
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:  # stop git when the client went away
                close()
            if out is not None:
                out.close()
                if complete:
                    try:
                        os.replace(temp, self.path_of(key))
                    except OSError as exc:
                        log.warning("archive cache: cannot store %s: %s", key, exc)
                        _unlink(temp)
                    else:
                        self.evict(keep=key)
                else:
                    _unlink(temp)

    def evict(self, keep: str | None = None) -> int:
        """Remove least recently used archives until the folder fits the
        cap (and stale temporary files); returns the bytes removed."""
        entries, total, now = [], 0, time.time()
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    try:
                        stat = entry.stat()
                    except OSError:
                        continue
                    if entry.name.startswith(".tmp-"):
                        if now - stat.st_mtime > STALE_TEMP_SECONDS:
                            _unlink(entry.path)
                        continue
                    entries.append((stat.st_mtime, entry.name, stat.st_size))
                    total += stat.st_size
        except FileNotFoundError:
            return 0
        removed = 0
        for _mtime, name, size in sorted(entries):
            if total <= self.max_bytes:
                break
            if name == keep:
                continue
            if _unlink(os.path.join(self.folder, name)):
                total -= size
                removed += size
        return removed


def _unlink(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


def default_cache() -> ArchiveCache:
    from django.conf import settings

    return ArchiveCache(
        os.path.join(settings.LINDOS.cache_dir, "archives"), settings.LINDOS.archive_cache_size
    )
