"""Showing where a result matched: the matching lines of a file with a
line of context, and commit messages, with the terms marked.

Pure functions over text already fetched; every piece of the text is
escaped before ``<mark>`` is put around the terms.
"""

from __future__ import annotations

import dataclasses
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Lines with a match shown per file (Kallithea showed a few as well).
MAX_MATCH_LINES = 5
#: Lines shown before and after each matching line.
CONTEXT = 1
#: A longer line is cut around its first match.
MAX_LINE_CHARS = 200


@dataclasses.dataclass(frozen=True)
class SnippetLine:
    number: int
    html: SafeString
    matched: bool


def term_pattern(terms) -> re.Pattern | None:
    terms = sorted({t for t in terms if t}, key=len, reverse=True)  # longest first: "foobar" over "foo"
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """``text`` escaped, with each match of ``pattern`` in ``<mark>``."""
    if pattern is None:
        return mark_safe(escape(text))
    out, last = [], 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def _cut(line: str, pattern: re.Pattern | None) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    found = pattern.search(line) if pattern is not None else None
    start = max(0, (found.start() if found else 0) - MAX_LINE_CHARS // 4)
    end = start + MAX_LINE_CHARS
    return ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")


def build_snippet(content: str, terms) -> list[list[SnippetLine]]:
    """Groups of consecutive lines around the first ``MAX_MATCH_LINES``
    matching lines (the first lines of the file when no line matches on
    its own, e.g. a match the index folded differently)."""
    pattern = term_pattern(terms)
    lines = content.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the newline ending the last line starts no line
    matched = [i for i, line in enumerate(lines) if pattern is not None and pattern.search(line)]
    matched = matched[:MAX_MATCH_LINES]
    if not matched:
        matched_set: set[int] = set()
        shown = list(range(min(len(lines), 1 + 2 * CONTEXT)))
    else:
        matched_set = set(matched)
        shown = sorted(
            {j for i in matched for j in range(max(0, i - CONTEXT), min(len(lines), i + CONTEXT + 1))}
        )
    groups: list[list[SnippetLine]] = []
    previous = None
    for i in shown:
        if previous is None or i != previous + 1:
            groups.append([])
        groups[-1].append(SnippetLine(i + 1, highlight(_cut(lines[i], pattern), pattern), i in matched_set))
        previous = i
    return groups
