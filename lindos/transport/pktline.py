"""git's pkt-line framing (gitprotocol-common(5)): a 4-digit hex length
that counts itself, then data; ``0000`` is a flush packet.

Only what the HTTP transport needs: writing the service announcement of
the smart HTTP ref advertisement, and reading the ref-update commands at
the start of a push without holding back the pack that follows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

FLUSH = b"0000"


def pkt_line(data: bytes) -> bytes:
    return b"%04x" % (len(data) + 4) + data


class PushCommand(NamedTuple):
    old: str
    new: str
    ref: str


def parse_command(payload: bytes) -> PushCommand | None:
    """``old new ref[\\0capabilities]`` -> PushCommand; None for other lines
    (``shallow``, ``push-cert`` and the like)."""
    line = payload.split(b"\0", 1)[0].rstrip(b"\n")
    parts = line.split(b" ")
    if len(parts) != 3 or len(parts[0]) not in (40, 64) or len(parts[1]) != len(parts[0]):
        return None
    try:
        old, new = parts[0].decode("ascii"), parts[1].decode("ascii")
        ref = parts[2].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return PushCommand(old, new, ref)


class CommandSniffer:
    """Pass a receive-pack request through unchanged, collecting its commands.

    Commands are the pkt-lines before the first flush packet; after it
    comes the pack, which is only passed on. ``commands`` is complete once
    the flush has gone by.
    """

    def __init__(self, chunks: Iterable[bytes]):
        self._chunks = chunks
        self.commands: list[PushCommand] = []
        self._buffer = b""
        self._done = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            if not self._done:
                self._scan(chunk)
            yield chunk

    def _scan(self, chunk: bytes) -> None:
        self._buffer += chunk
        pos = 0
        while len(self._buffer) - pos >= 4:
            try:
                length = int(self._buffer[pos : pos + 4], 16)
            except ValueError:
                self._done = True  # not pkt-lines: let receive-pack complain
                break
            if length == 0:
                self._done = True
                break
            if length < 4:
                self._done = True
                break
            if len(self._buffer) - pos < length:
                break
            command = parse_command(self._buffer[pos + 4 : pos + length])
            if command:
                self.commands.append(command)
            pos += length
        self._buffer = b"" if self._done else self._buffer[pos:]
