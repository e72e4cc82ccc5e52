"""Parsing ``git blame --porcelain`` output.

``git blame`` in a subprocess is much faster than libgit2's blame on long
histories. The porcelain format prints a commit's headers (author, time...)
only the first time the commit appears, so the parser keeps them by id.
"""

from __future__ import annotations

import datetime

from ..base import AnnotateLine
from ..text import decode_text, format_author


def parse_tz(offset: bytes) -> datetime.timezone:
    """``+0130`` / ``-0500`` into a fixed-offset timezone."""
    sign = -1 if offset.startswith(b"-") else 1
    digits = offset.lstrip(b"+-").rjust(4, b"0")
    minutes = int(digits[:2]) * 60 + int(digits[2:4])
    return datetime.timezone(datetime.timedelta(minutes=sign * minutes))


def _commit_info(headers: dict[bytes, bytes]) -> tuple[str, datetime.datetime]:
    name = decode_text(headers.get(b"author", b""))
    email = decode_text(headers.get(b"author-mail", b"").strip(b"<>"))
    tz = parse_tz(headers.get(b"author-tz", b"+0000"))
    date = datetime.datetime.fromtimestamp(int(headers.get(b"author-time", b"0")), tz)
    return format_author(name, email), date


def parse_blame_porcelain(output: bytes) -> list[AnnotateLine]:
    """Turn ``git blame --porcelain`` output into ``AnnotateLine`` rows.

    Lines are returned without their trailing newline.
    """
    result: list[AnnotateLine] = []
    commits: dict[bytes, tuple[str, datetime.datetime]] = {}
    headers: dict[bytes, dict[bytes, bytes]] = {}
    current: bytes | None = None
    final_line = 0
    for raw in output.split(b"\n"):
        if raw.startswith(b"\t"):
            # The content line closes a group: the commit's headers, if any,
            # have all been seen by now.
            if current not in commits:
                commits[current] = _commit_info(headers.get(current, {}))
            author, date = commits[current]
            result.append(AnnotateLine(final_line, current.decode("ascii"), author, date, raw[1:]))
            current = None
        elif current is None:
            if not raw:
                continue
            # "<sha> <orig_line> <final_line> [<group_size>]"
            fields = raw.split(b" ")
            current, final_line = fields[0], int(fields[2])
            headers.setdefault(current, {})
        else:
            key, _, value = raw.partition(b" ")
            headers[current][key] = value
    return result
