"""The search text as literal terms: nothing the user types is syntax."""

import pytest

from lindos.search.terms import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    build_query,
    fts5_phrase,
    like_pattern,
    regex_literal,
    split_terms,
)


@pytest.mark.parametrize(
    "text, terms",
    [
        ("foo bar", ["foo", "bar"]),
        ('"foo bar" baz', ["foo bar", "baz"]),
        ('say "hello   world', ["say", "hello world"]),  # an unclosed quote runs to the end
        ('foo"bar', ['foo"bar']),
        ("a OR b NOT c", ["a", "OR", "b", "NOT", "c"]),
        ("((foo", ["((foo"]),
        ("Foo foo FOO", ["Foo"]),  # the same term once, whatever its case
        ("tab\there\x00nul\nline", ["tab", "here", "nul", "line"]),
        ('""', []),
        ("   ", []),
    ],
)
def test_split_terms(text, terms):
    assert split_terms(text) == terms


def test_fts5_phrase_quotes_everything():
    assert fts5_phrase("a") == '"a"'
    assert fts5_phrase('say "hi"') == '"say ""hi"""'
    assert fts5_phrase("x OR y*") == '"x OR y*"'


def test_like_pattern_escapes_wildcards():
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"


def test_content_needs_one_term_of_three_characters():
    assert build_query("ab", "content").problem == "Search for at least 3 characters."
    query = build_query("ab abc", "path")
    assert (query.problem, query.indexed_terms, query.filter_terms) == ("", ("abc",), ("ab",))


def test_commit_terms_need_a_letter_or_digit():
    assert build_query("-- #", "commit").problem == "Search for at least one word."
    assert build_query("fix #12 --", "commit").terms == ("fix", "#12")


def test_too_long_and_too_many():
    assert "too long" in build_query("x" * (MAX_QUERY_CHARS + 1), "content").problem
    assert build_query("x" * MAX_QUERY_CHARS, "content").problem == ""
    many = " ".join(f"term{i}" for i in range(MAX_TERMS + 1))
    assert build_query(many, "content").problem == f"Too many search terms: at most {MAX_TERMS}."


def test_unknown_type_is_content():
    assert build_query("foo", "repository").kind == "content"


def test_regex_literal_escapes_everything_but_letters_and_digits():
    import re

    assert regex_literal("a.b*(é)") == "a\\.b\\*\\(é\\)"
    for term in ("a.b*(é)", "x+y?", "[^$]", "back\\slash", "{1,2}|"):
        assert re.fullmatch(regex_literal(term), term)
