import os

import pytest
from django.core.exceptions import ValidationError

from lindos.repos.storage import (
    ROUTE_WORDS,
    UnsafePath,
    name_problems,
    repository_path,
    validate_repository_name,
)


@pytest.mark.parametrize(
    "name",
    [
        "repo",
        "my-repo",
        "my_repo",
        "Repo.v2",
        "group/repo",
        "group/sub/repo",
        "a.git",
        "x" * 200,
    ],
)
def test_good_names(name):
    assert name_problems(name) == []


@pytest.mark.parametrize(
    "name, problem",
    [
        ("", "empty"),
        ("..", "'..' is not allowed"),
        ("a/../b", "'..' is not allowed"),
        ("a/./b", "'.' is not allowed"),
        (".hidden", "may not start with '.'"),
        ("_admin", "may not start with '_'"),
        ("group/_x", "may not start with '_'"),
        ("/abs", "empty part"),
        ("trailing/", "empty part"),
        ("a//b", "empty part"),
        ("with space", "may only contain"),
        ("ünïcode", "may only contain"),
        ("a\\b", "may only contain"),
        ("x" * 201, "longer than 200"),
        ("files", "word Lindos uses"),
        ("group/changelog", "word Lindos uses"),
        ("Summary", "word Lindos uses"),
        ("a/info", "word Lindos uses"),
        ("git-upload-pack", "word Lindos uses"),
        ("pull-request", "word Lindos uses"),
    ],
)
def test_bad_names(name, problem):
    problems = name_problems(name)
    assert any(problem in p for p in problems), problems
    with pytest.raises(ValidationError):
        validate_repository_name(name)


def test_every_browser_route_word_is_reserved():
    for word in [
        "summary",
        "changelog",
        "changeset",
        "raw-changeset",
        "changeset-patch",
        "files",
        "annotate",
        "raw",
        "rawfile",
        "archive",
        "settings",
        "fork",
        "forks",
        "pull-request",
        "pull-request-comment",
        "comments",
        "journal",
        "info",
        "git-upload-pack",
        "git-receive-pack",
        "my_pullrequests",
    ]:
        assert word in ROUTE_WORDS


def test_repository_path_is_inside_root(repo_root):
    assert repository_path("g/r") == os.path.join(os.path.realpath(repo_root), "g", "r")


def test_repository_path_refuses_invalid_names(repo_root):
    with pytest.raises(UnsafePath):
        repository_path("../etc")


def test_symlinked_group_pointing_outside_is_refused(repo_root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo_root / "evil").symlink_to(outside)
    with pytest.raises(UnsafePath):
        repository_path("evil/repo")


def test_symlinked_repository_pointing_outside_is_refused(repo_root, tmp_path):
    outside = tmp_path / "elsewhere.git"
    outside.mkdir()
    (repo_root / "link").symlink_to(outside)
    with pytest.raises(UnsafePath):
        repository_path("link")
