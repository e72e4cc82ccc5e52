"""Header lines that carry user text: display names, subjects, repository
names.  Written here, never by the email package's header folder.

Why not the email package: it parses a value before writing it, and its
folder (Python 3.11 and 3.12) drops the quotes of a quoted display name
that does not fit on one line.  A first name of ``IT Security
<security@victim.example>,`` with a long last name made ``From`` hold two
addresses, and a name that looks like an RFC 2047 encoded word
(``=?utf-8?q?x=0Ay?=``) was decoded into a line break, which made every
mail naming that user fail.  These writers never parse user text, they
only quote or encode it, so a reader's parser gets back the text given.

The rules:

- text is put on one line first (``clean_header_text``: control characters
  become spaces, space runs collapse, ends trimmed); that is the text the
  header carries, and ``email.parser`` with ``policy.default`` returns it;
- unstructured text (Subject): a word of printable ASCII, at most 76
  characters, holding neither ``=?`` nor ``?=``, is written as it is; every
  run of other words is written as RFC 2047 encoded words (UTF-8, Q or B
  whichever is shorter, cut between characters, at most 75 characters
  each), the spaces inside the run encoded with it, so that text looking
  like an encoded word is shown as typed;
- a display name (a phrase, RFC 5322 section 3.2.5) is written as atoms when
  all its words are atoms (``Alice Liddell``), else as one quoted string
  when it is printable ASCII without ``=?`` or ``?=`` (``"Bob (no-reply)"``,
  quotes and backslashes escaped), else as ONE encoded word, which may be
  longer than RFC 2047's 75 characters.  One, because readers disagree on
  the space between two encoded words of a phrase: RFC 2047 drops it and
  Python's parser keeps it, so a name cut in two would come back changed
  in one or the other; mail programs decode long encoded words.  To keep
  lines within RFC 5322's 998 characters, display names longer than
  ``MAX_NAME`` characters are cut, ending in an ellipsis;
- lines are folded before 78 characters where possible, only at a space
  (which unfolding gives back) or between two encoded words of
  unstructured text (where decoders drop the space); never right after the
  header name, as a reader would take that space as part of the text.

All functions are pure and return the header line(s) ending in ``"\\n"``.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

MAX_LINE = 78  # RFC 5322 section 2.1.1: lines SHOULD be at most 78
MAX_WORD = 75  # RFC 2047 section 2: an encoded word is at most 75
MAX_NAME = 150  # display names are cut beyond this (line length)
_CHARSET = "utf-8"
_Q_HEAD, _B_HEAD = f"=?{_CHARSET}?q?", f"=?{_CHARSET}?b?"

_CONTROL_RUN = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_PLAIN_WORD = re.compile(r"[\x21-\x7e]{1,76}")
_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_PRINTABLE = re.compile(r"[\x20-\x7e]+")
_LOOKS_ENCODED = re.compile(r"=\?|\?=")

# Characters a Q-encoded word may carry as themselves in any header,
# phrases included (RFC 2047 section 5 (3)); "_" stands for a space.
_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def clean_header_text(text: str) -> str:
    """`text` on one line: control characters (CR, LF, TAB, NUL...) become
    one space, runs of spaces collapse, ends are trimmed."""
    return " ".join(_CONTROL_RUN.sub(" ", text or "").split())


def _q_char(ch: str) -> str:
    if ch == " ":
        return "_"
    return "".join(chr(b) if b in _Q_SAFE else f"={b:02X}" for b in ch.encode(_CHARSET))


def _q_words(text: str, room: int, first_room: int) -> list[str]:
    words, current, limit = [], "", first_room
    for ch in text:
        piece = _q_char(ch)
        if current and len(current) + len(piece) > limit:
            words.append(_Q_HEAD + current + "?=")
            current, limit = "", room
        current += piece
    words.append(_Q_HEAD + current + "?=")
    return words


def _b_words(text: str, room: int, first_room: int) -> list[str]:
    words, current, limit = [], b"", first_room // 4 * 3
    for ch in text:
        piece = ch.encode(_CHARSET)
        if current and len(current) + len(piece) > limit:
            words.append(_B_HEAD + base64.b64encode(current).decode("ascii") + "?=")
            current, limit = b"", room // 4 * 3
        current += piece
    words.append(_B_HEAD + base64.b64encode(current).decode("ascii") + "?=")
    return words


def encoded_words(text: str, max_word: int | None = MAX_WORD, first_max: int | None = None) -> list[str]:
    """`text` as RFC 2047 encoded words of whole characters, each at most
    `max_word` long (the first at most `first_max`; None: no limit, one
    word).  Q when it is not longer than B: mostly-Latin text stays
    readable."""
    limit = max_word or 1 << 30
    overhead = len(_Q_HEAD) + 2
    room, first_room = limit - overhead, max(min(first_max or limit, limit) - overhead, 4)
    q = _q_words(text, room, first_room)
    b = _b_words(text, room, first_room)
    return q if sum(map(len, q)) <= sum(map(len, b)) else b


def _fold(name: str, tokens: list[str]) -> str:
    """``name: t1 t2 ...``, with a line break before a token that would make
    its line longer than MAX_LINE (never before the first: a line may be
    longer when a token is)."""
    lines, line = [], f"{name}: {tokens[0]}"
    for token in tokens[1:]:
        if len(line) + 1 + len(token) > MAX_LINE:
            lines.append(line)
            line = ""
        line += " " + token
    lines.append(line)
    return "\n".join(lines) + "\n"


def _plain_word(word: str) -> bool:
    return bool(_PLAIN_WORD.fullmatch(word)) and not _LOOKS_ENCODED.search(word)


def unstructured_tokens(text: str, first_max: int) -> list[str]:
    """Plain words as they are, each maximal run of other words (with the
    single spaces between them) as encoded words; a decoder keeps the space
    between a plain word and an encoded one and drops it between two
    encoded ones."""
    tokens, run = [], []

    def flush():
        if run:
            tokens.extend(encoded_words(" ".join(run), first_max=None if tokens else first_max))
            run.clear()

    for word in text.split(" "):
        if _plain_word(word):
            flush()
            tokens.append(word)
        else:
            run.append(word)
    flush()
    return tokens


@lru_cache(maxsize=4096)
def unstructured(name: str, text: str) -> str:
    """An unstructured header (Subject) carrying `text`, made one line.
    Repeated subjects are written once (cached)."""
    text = clean_header_text(text)
    if not text:
        return f"{name}:\n"  # as the email package writes an empty value
    return _fold(name, unstructured_tokens(text, MAX_LINE - len(name) - 2))


def shorten_name(display_name: str, limit: int = MAX_NAME) -> str:
    """`display_name` on one line, cut to `limit` characters (an ellipsis
    ends a cut one)."""
    display_name = clean_header_text(display_name)
    if len(display_name) > limit:
        display_name = display_name[: limit - 1].rstrip() + "\u2026"
    return display_name


def phrase_tokens(display_name: str, atoms: bool = True) -> list[str]:
    """A display name (one line, at most MAX_NAME) as phrase tokens:
    atoms (if `atoms`), one quoted string cut at its spaces, or one encoded
    word."""
    if _LOOKS_ENCODED.search(display_name):
        pass
    elif atoms and _ATOMS.fullmatch(display_name):
        return display_name.split(" ")
    elif _PRINTABLE.fullmatch(display_name):
        # Folding inside a quoted string is allowed (RFC 5322 section
        # 3.2.4) and unfolds to the same single space.
        return ('"' + display_name.replace("\\", "\\\\").replace('"', '\\"') + '"').split(" ")
    return encoded_words(display_name, max_word=None)


# Dot-atom addresses (RFC 5322 section 3.4.1): nearly every recipient;
# written directly, without the email package's address parser.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@lru_cache(maxsize=256)
def addr_spec(address: str) -> str:
    """`address` as a header writes it: a dot-atom address as it is, another
    in the email package's canonical form (local part quoted if need be),
    an international domain in its ASCII (IDNA) form.  ValueError for what
    no 7-bit header can carry (a non-ASCII local part needs SMTPUTF8)."""
    if PLAIN_ADDRESS.fullmatch(address):
        return address
    from email.headerregistry import Address

    parsed = Address(addr_spec=address)
    local, domain = parsed.username, parsed.domain
    if not domain.isascii():
        domain = domain.encode("idna").decode("ascii")
    spec = Address(username=local, domain=domain).addr_spec
    if not spec.isascii() or _CONTROL.search(spec) or not local or not domain:
        raise ValueError(f"not an address a mail header can carry: {address!r}")
    return spec


def can_carry(address: str) -> bool:
    """Whether a header can carry `address` (``addr_spec`` accepts it)."""
    try:
        addr_spec(address)
    except (ValueError, IndexError, UnicodeError):
        return False
    return True


@lru_cache(maxsize=4096)
def mailbox(name: str, display_name: str, address: str) -> str:
    """An address header (From, To) holding exactly one mailbox,
    ``Name <address>``, or the bare address when the name is empty.  The
    name is made one line, cut to MAX_NAME and quoted or encoded as need
    be, whatever its length and characters."""
    spec = addr_spec(address)
    display_name = shorten_name(display_name)
    if not display_name:
        return f"{name}: {spec}\n"
    return _fold(name, phrase_tokens(display_name) + [f"<{spec}>"])


def list_id(phrase: str, label: str) -> str:
    """``List-Id: phrase <label>`` (RFC 2919); the label comes from a
    restricted alphabet (``threads.list_label``), the phrase is user text
    (a repository name), quoted as RFC 2919's examples do."""
    phrase = shorten_name(phrase)
    tokens = phrase_tokens(phrase, atoms=False) if phrase else []
    return _fold("List-Id", tokens + [f"<{label}>"])
