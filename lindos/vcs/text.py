"""Turning repository bytes into text, and names back into bytes.

Repositories store bytes: commit messages in whatever encoding the committer
used, file names as the filesystem gave them. Two policies live here:

* *Display text* (messages, authors) is decoded as UTF-8 and, when that
  fails, as Latin-1. Latin-1 maps every byte, so decoding never raises, and
  it is the encoding old non-UTF-8 commits most often used.
* *Names* (paths, branches, tags) must round-trip: a name shown in a URL has
  to find the same object when it comes back. They are decoded as UTF-8 with
  ``surrogateescape``, so undecodable bytes survive as lone surrogates and
  ``name_bytes`` restores them exactly. Use ``display_name`` before putting
  such a name into HTML.
"""

import re


def decode_text(data: bytes) -> str:
    """Decode display text: UTF-8 first, Latin-1 when that fails."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def name_str(data: bytes) -> str:
    """Decode a name (path, ref) so ``name_bytes`` gives the bytes back."""
    return data.decode("utf-8", "surrogateescape")


def name_bytes(name: str) -> bytes:
    """Encode a name decoded by ``name_str`` back into its original bytes."""
    return name.encode("utf-8", "surrogateescape")


def display_name(name: str) -> str:
    """A name made safe for display: undecodable bytes become U+FFFD."""
    return name_bytes(name).decode("utf-8", "replace")


_AUTHOR_RE = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<email>[^>]*)>\s*$")


def split_author(author: str) -> tuple[str, str]:
    """Split ``"Name <email>"`` into ``(name, email)``.

    Mercurial stores a free-form user string, so also accept a bare e-mail
    address (name becomes the part before ``@``) and a bare name (empty
    e-mail).
    """
    match = _AUTHOR_RE.match(author)
    if match:
        name, email = match.group("name"), match.group("email").strip()
        return (name or email.split("@")[0], email)
    author = author.strip()
    if "@" in author and " " not in author:
        return (author.split("@")[0], author)
    return (author, "")


def format_author(name: str, email: str) -> str:
    """The ``"Name <email>"`` form used for every changeset author."""
    return f"{name} <{email}>" if email else name
