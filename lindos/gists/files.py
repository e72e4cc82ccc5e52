"""What a gist may hold: checked before anything touches the disk.

A gist is a flat set of text files (Kallithea: "Filename cannot be inside
a directory"). A file name is one path segment: no ``/`` or ``\\``, not
``.`` or ``..``, no control character (NUL, CR, LF...), not a name the
version control tools read as their own (``.hg*``, ``.git*``: ``.hgtags``
would make tags, ``.hgsub`` subrepositories), valid UTF-8, at most
``MAX_NAME_BYTES``. Contents are text, at most ``MAX_FILE_BYTES`` each
and ``MAX_TOTAL_BYTES`` together, in at most ``MAX_FILES`` files.
Every function here is pure: ``build_*`` returns or raises ``GistRefused``.
"""

from __future__ import annotations

import datetime

from lindos.repos.editing import MAX_EDIT_BYTES, build_text_content

#: Largest file: what the browser's file editor takes (the page carries a
#: file twice: shown, then posted).
MAX_FILE_BYTES = MAX_EDIT_BYTES
MAX_TOTAL_BYTES = 4 * 1024 * 1024
MAX_FILES = 50
MAX_NAME_BYTES = 255
MAX_DESCRIPTION_CHARS = 10_000
#: Kallithea's default name for a file given none; the Nth unnamed file
#: of a gist is ``gistfileN.txt``.
DEFAULT_NAME = "gistfile{n}.txt"

#: Lifetimes in minutes offered on the pages (Kallithea's), -1 = forever.
LIFETIMES = [(-1, "Forever"), (5, "5 minutes"), (60, "1 hour"), (60 * 24, "1 day"), (60 * 24 * 30, "1 month")]
#: Longest lifetime the API takes (minutes): a hundred years.
MAX_LIFETIME_MINUTES = 100 * 365 * 24 * 60


class GistRefused(Exception):
    """A gist that cannot be made or changed as asked; the message says
    why in words for a page or an API answer."""

    status = 400


class TooLarge(GistRefused):
    status = 413


def build_name(name, position: int) -> str:
    """The checked file name; an empty one becomes ``gistfileN.txt``."""
    if not isinstance(name, str):
        raise GistRefused("A file name must be text.")
    name = name.strip()
    if not name:
        return DEFAULT_NAME.format(n=position)
    shown = repr(name)[1:-1][:80]
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise GistRefused(f"The file name '{shown}' contains control characters.")
    if "/" in name or "\\" in name:
        raise GistRefused(f"The file name '{shown}' names a folder: a gist's files cannot be in folders.")
    if name in (".", ".."):
        raise GistRefused(f"'{name}' is not a file name.")
    if name.lower().startswith((".hg", ".git")):
        raise GistRefused(f"The file name '{shown}' is reserved for the version control tools.")
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        raise GistRefused(f"The file name '{shown}' is not valid text.")
    if size > MAX_NAME_BYTES:
        raise GistRefused(f"The file name '{shown[:40]}...' is longer than {MAX_NAME_BYTES} bytes.")
    return name


def build_content(content, name: str) -> bytes:
    """A file's bytes: text with its line endings made LF (a browser sends
    CRLF), not empty, not over ``MAX_FILE_BYTES``."""
    if not isinstance(content, str):
        raise GistRefused(f"The content of {name} must be text.")
    try:
        content.encode("utf-8")
    except UnicodeEncodeError:
        raise GistRefused(f"The content of {name} is not valid text.")
    data = build_text_content(content)
    if not data.strip():
        raise GistRefused(f"{name} is empty: give it some content, or leave the file out.")
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(
            f"{name} is larger than {MAX_FILE_BYTES // 1024} KiB: a gist file may be at most that."
        )
    return data


def build_files(entries: list[tuple[object, object]]) -> dict[str, bytes]:
    """``{name: bytes}`` from ``(name, content)`` pairs, every rule checked."""
    if not entries:
        raise GistRefused("A gist needs at least one file.")
    if len(entries) > MAX_FILES:
        raise TooLarge(f"A gist may have at most {MAX_FILES} files.")
    files: dict[str, bytes] = {}
    unnamed = 0
    for name, content in entries:
        if isinstance(name, str) and not name.strip():
            unnamed += 1
            while DEFAULT_NAME.format(n=unnamed) in files:
                unnamed += 1
        name = build_name(name, unnamed)
        if name in files:
            raise GistRefused(f"Two files are named {name}.")
        files[name] = build_content(content, name)
    if sum(len(data) for data in files.values()) > MAX_TOTAL_BYTES:
        raise TooLarge(f"The files of a gist may be at most {MAX_TOTAL_BYTES // (1024 * 1024)} MiB together.")
    return files


def build_description(description) -> str:
    if not isinstance(description, str):
        raise GistRefused("The description must be text.")
    description = description.replace("\r\n", "\n").strip()
    if "\x00" in description:
        raise GistRefused("The description may not contain NUL characters.")
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise GistRefused(f"The description is longer than {MAX_DESCRIPTION_CHARS} characters.")
    return description


def build_expiry(lifetime, now: datetime.datetime) -> datetime.datetime | None:
    """When a gist of ``lifetime`` minutes made ``now`` expires; None for
    -1 (forever). Other values must be whole minutes, 1 or more."""
    if isinstance(lifetime, str):
        lifetime = lifetime.strip()
        if not lifetime.lstrip("-").isdigit() or len(lifetime) > 12:
            raise GistRefused("The lifetime must be a number of minutes, or -1 for forever.")
        lifetime = int(lifetime)
    if isinstance(lifetime, bool) or not isinstance(lifetime, int):
        raise GistRefused("The lifetime must be a number of minutes, or -1 for forever.")
    if lifetime == -1:
        return None
    if lifetime < 1:
        raise GistRefused("The lifetime must be a number of minutes, or -1 for forever.")
    if lifetime > MAX_LIFETIME_MINUTES:
        raise GistRefused(f"The lifetime may be at most {MAX_LIFETIME_MINUTES} minutes (a hundred years).")
    return now + datetime.timedelta(minutes=lifetime)
