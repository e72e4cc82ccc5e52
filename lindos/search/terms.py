"""The user's search text as literal terms: never a query language.

Kallithea handed the text to Whoosh's query parser, so a stray quote or
parenthesis was a syntax error and ``OR``/``NOT`` changed the meaning.
Here every term is a literal string that each result must contain
(case-insensitively): words separated by spaces, or a double-quoted
phrase kept whole (an unclosed quote runs to the end).  FTS operators,
parentheses, ``*``, ``:``, ``%`` and ``_`` are just characters.
``fts5_phrase``, ``like_pattern`` and ``regex_literal`` quote a term for
the one place each database syntax appears.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

#: The longest search text read; a longer one is refused with a message.
MAX_QUERY_CHARS = 500
#: At most this many terms count; more are refused with a message.
MAX_TERMS = 10
#: Content and path searches use trigram indexes: at least one term must
#: have this many characters (shorter ones narrow the results further).
MIN_INDEXED_CHARS = 3

KINDS = ("content", "path", "commit")

_TERM = re.compile(r'"([^"]*)"?|(\S+)')


@dataclasses.dataclass(frozen=True)
class Query:
    kind: str
    terms: tuple[str, ...]
    problem: str = ""

    @property
    def indexed_terms(self) -> tuple[str, ...]:
        """The terms a trigram index can find."""
        return tuple(t for t in self.terms if len(t) >= MIN_INDEXED_CHARS)

    @property
    def filter_terms(self) -> tuple[str, ...]:
        """Terms too short for a trigram index: checked on the candidates."""
        return tuple(t for t in self.terms if len(t) < MIN_INDEXED_CHARS)


def _visible(text: str) -> str:
    """Control characters (NUL, which PostgreSQL refuses, newlines, ...)
    become spaces."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in text)


def split_terms(text: str) -> list[str]:
    terms = []
    for match in _TERM.finditer(_visible(text)):
        term = (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()
        term = " ".join(term.split())
        if term and term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    return terms


def build_query(text: str, kind: str) -> Query:
    """The query for a search box's text; ``problem`` says why nothing is
    searched (too long, too short), for the page to show."""
    if kind not in KINDS:
        kind = "content"
    if len(text) > MAX_QUERY_CHARS:
        return Query(kind, (), f"The search text is too long: at most {MAX_QUERY_CHARS} characters.")
    terms = split_terms(text)
    if len(terms) > MAX_TERMS:
        return Query(kind, (), f"Too many search terms: at most {MAX_TERMS}.")
    if kind == "commit":
        # Commit messages are indexed by words: a term without a letter or
        # digit (``--``, ``#``) names no word.
        terms = [t for t in terms if any(ch.isalnum() for ch in t)]
        if not terms:
            return Query(kind, (), "Search for at least one word.")
        return Query(kind, tuple(terms))
    query = Query(kind, tuple(terms))
    if not query.indexed_terms:
        return Query(kind, (), f"Search for at least {MIN_INDEXED_CHARS} characters.")
    return query


def fts5_phrase(term: str) -> str:
    """A term as an SQLite FTS5 string literal: inside double quotes
    nothing is an operator, and a double quote is written twice."""
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    """``%term%`` for LIKE/ILIKE with ``\\`` as the escape character, so
    ``%`` and ``_`` in the term match themselves."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def regex_literal(term: str) -> str:
    """A term as a PostgreSQL regular expression matching exactly it: in
    its ARE syntax a backslash before any character that is not a letter
    or digit stands for that character."""
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in term)
