"""The rules of what a gist may hold (pure functions)."""

import datetime

import pytest

from lindos.gists.files import (
    GistRefused,
    TooLarge,
    build_description,
    build_expiry,
    build_files,
    build_name,
)

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def test_unnamed_files_get_kallithea_s_default_name_numbered():
    files = build_files([("", "a"), ("x.py", "b"), (" ", "c")])
    assert list(files) == ["gistfile1.txt", "x.py", "gistfile2.txt"]
    assert list(build_files([("gistfile1.txt", "a"), ("", "b")])) == ["gistfile1.txt", "gistfile2.txt"]


def test_contents_are_utf8_with_lf_line_endings():
    assert build_files([("a", "é\r\nb\rc")]) == {"a": "é\nb\nc".encode()}


@pytest.mark.parametrize("name", ["ok.txt", "<b>.html", "Subject: hi", "日本.md", "a b", ".hidden", "-rf"])
def test_names_that_look_odd_but_are_one_safe_segment_are_kept(name):
    assert build_name(name, 1) == name


def test_duplicates_and_limits():
    with pytest.raises(GistRefused, match="Two files are named a"):
        build_files([("a", "x"), (" a ", "y")])
    with pytest.raises(TooLarge):
        build_files([(f"f{i}", "x") for i in range(51)])
    with pytest.raises(TooLarge, match="4 MiB together"):
        build_files([(f"f{i}", "x" * 500 * 1024) for i in range(9)])
    assert len(build_files([(f"f{i}", "x") for i in range(50)])) == 50


def test_descriptions():
    assert build_description("  a\r\nb ") == "a\nb"
    with pytest.raises(GistRefused):
        build_description("x" * 10_001)
    with pytest.raises(GistRefused):
        build_description(None)


@pytest.mark.parametrize(
    "lifetime, expected",
    [
        (-1, None),
        ("-1", None),
        (5, NOW + datetime.timedelta(minutes=5)),
        ("60", NOW + datetime.timedelta(hours=1)),
    ],
)
def test_lifetimes(lifetime, expected):
    assert build_expiry(lifetime, NOW) == expected


@pytest.mark.parametrize("lifetime", [0, -2, "abc", "", True, 1.5, 10**12, "9" * 40])
def test_bad_lifetimes(lifetime):
    with pytest.raises(GistRefused):
        build_expiry(lifetime, NOW)
