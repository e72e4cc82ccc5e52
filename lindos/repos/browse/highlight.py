"""Syntax highlighting of file contents, one HTML fragment per line.

Policy: a file is highlighted by Pygments with the lexer its *name* picks
(guessing from content is slow and often wrong), plain text otherwise.
Pygments lexes roughly 100 to 500 KB of Python a second on one core, so:

* a request highlights a file itself only up to ``ON_DEMAND_LIMIT`` bytes
  (256 KiB: about half a second at worst); a larger file is shown escaped,
  without colours, rather than holding the request for seconds;
* the background worker, preparing what a push changed, highlights files
  up to ``HIGHLIGHT_LIMIT`` (1 MiB), and a request shows that prepared
  result whatever the size;
* nothing above ``HIGHLIGHT_LIMIT`` is ever highlighted.

The result depends only on the blob's bytes and its name's lexer, so it is
cached under the immutable blob id and a second view costs one cache read.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.utils.html import escape
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from lindos.vcs.text import decode_text

#: Bytes above which a file is never highlighted (shown escaped).
HIGHLIGHT_LIMIT = 1024 * 1024
#: Bytes above which a request does not highlight a file it finds no
#: prepared result for.
ON_DEMAND_LIMIT = 256 * 1024

# Bump when the HTML produced here changes, so old cache entries are ignored.
_CACHE_VERSION = 1


def lexer_for(filename: str):
    """The Pygments lexer a file name selects; plain text when none does."""
    try:
        return get_lexer_for_filename(filename, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


@functools.lru_cache(maxsize=4096)
def lexer_name(filename: str) -> str:
    """The name of the lexer ``filename`` selects (remembered: Pygments
    matches a name against every lexer's patterns, a few ms each time)."""
    return type(lexer_for(filename)).__name__


def split_lines(text: str) -> list[str]:
    """Lines as a file viewer numbers them: a final newline ends the last
    line rather than starting an empty one."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def render_highlighted(text: str, filename: str) -> list[str]:
    """Highlight ``text`` and return one HTML fragment per line.

    Pygments' HTML formatter closes and reopens its spans at every newline,
    so splitting its output on newlines yields self-contained lines.
    """
    # Pygments turns every CR into a line break; git only counts LF. Keep
    # git's numbering (blame and diffs use it) and show a lone CR as a sign.
    text = text.replace("\r\n", "\n").replace("\r", "\u240d")
    formatter = HtmlFormatter(nowrap=True)
    html = pygments_highlight(text, lexer_for(filename), formatter)
    lines = split_lines(html)
    wanted = len(split_lines(text))
    # Lexers may drop or add a trailing newline; keep the numbering exact.
    return (lines + [""] * wanted)[:wanted]


def render_plain(text: str) -> list[str]:
    """Escaped lines, for files too big to highlight."""
    return [escape(line) for line in split_lines(text)]


def _cache_key(blob_id: str, filename: str) -> str:
    lexer = lexer_name(filename)
    digest = hashlib.sha1(f"{blob_id}:{lexer}".encode()).hexdigest()
    return f"lindos:hl:{_CACHE_VERSION}:{digest}"


def highlighted_lines(blob_id: str, filename: str, content: bytes, limit: int | None = None) -> list[str]:
    """The HTML lines of a text file, from the cache when seen before.

    ``blob_id`` must identify ``content`` immutably (a git blob id, an hg
    file node id): it is the cache key.  A file over ``limit`` bytes that
    is not in the cache yet is returned escaped, not highlighted (see the
    module doc; ``highlight_state`` tells which). ``limit`` defaults to
    ``ON_DEMAND_LIMIT``.
    """
    return _lines(blob_id, filename, content, limit)[0]


def highlight_state(
    blob_id: str, filename: str, content: bytes, limit: int | None = None
) -> tuple[list[str], bool]:
    """``(lines, highlighted)``: ``highlighted_lines`` and whether its
    answer has colours."""
    return _lines(blob_id, filename, content, limit)


def _lines(blob_id: str, filename: str, content: bytes, limit: int | None) -> tuple[list[str], bool]:
    limit = ON_DEMAND_LIMIT if limit is None else limit
    if len(content) > HIGHLIGHT_LIMIT:
        return render_plain(decode_text(content)), False
    key = _cache_key(blob_id, filename)
    lines = cache.get(key)
    if lines is None:
        if len(content) > limit:
            return render_plain(decode_text(content)), False
        lines = render_highlighted(decode_text(content), filename)
        cache.set(key, lines)
    return lines, True


def highlight_snippet(lines: list[str], filename: str) -> list[str]:
    """Highlight a list of unrelated lines (a diff's sides) in one pass.

    Lexing them together keeps most multi-line constructs right and is much
    faster than one Pygments call per line.
    """
    if not lines:
        return []
    if sum(len(line) for line in lines) > HIGHLIGHT_LIMIT:
        return [escape(line) for line in lines]
    return render_highlighted("\n".join(lines) + "\n", filename)


def style_defs() -> str:
    """The CSS for the token classes, as appended to lindos.css."""
    return HtmlFormatter().get_style_defs(".highlight")
