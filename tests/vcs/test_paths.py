"""``normalize_path``: the gate every caller-supplied path goes through."""

import pytest

from lindos.vcs.errors import PathNotFound
from lindos.vcs.paths import base_name, normalize_path, parent_path


@pytest.mark.parametrize(
    "given, expected",
    [
        (None, ""),
        ("", ""),
        ("README", "README"),
        ("src/app.py", "src/app.py"),
        ("docs/", "docs"),
        ("naïve/café.txt", "naïve/café.txt"),
        ("a..b/c...", "a..b/c..."),  # dots inside a name are fine
        (".hidden/.x", ".hidden/.x"),
    ],
)
def test_accepted(given, expected):
    assert normalize_path(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "/",
        "/etc/passwd",
        "..",
        "../x",
        "a/../b",
        "a/..",
        ".",
        "./a",
        "a/./b",
        "a//b",
        "//",
        "a\x00b",
        "docs//",
    ],
)
def test_refused(given):
    with pytest.raises(PathNotFound):
        normalize_path(given)


def test_parent_and_base_name():
    assert (parent_path("a/b/c"), base_name("a/b/c")) == ("a/b", "c")
    assert (parent_path("top"), base_name("top")) == ("", "top")
