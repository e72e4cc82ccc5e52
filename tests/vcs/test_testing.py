"""The repository builders other suites use (lindos/vcs/testing.py)."""

import pytest

from lindos.vcs import open_repository
from lindos.vcs.testing import build_fast_import_stream, make_git_repo, make_hg_repo, quote_fast_import_path

MAKERS = {"git": make_git_repo, "hg": make_hg_repo}


@pytest.mark.parametrize(
    "path, quoted",
    [
        ("a.txt", b'"a.txt"'),
        ('with space/"q"\\', b'"with space/\\"q\\"\\\\"'),
        (b"caf\xe9\n", b'"caf\\351\\012"'),
    ],
)
def test_quote_fast_import_path(path, quoted):
    assert quote_fast_import_path(path) == quoted


def test_fast_import_stream_starts_new_branches_at_previous_commit():
    stream = build_fast_import_stream(
        [{"files": {"a": b"1"}}, {"files": {"b": b"2"}, "branch": "topic"}, {"files": {"a": b"3"}}]
    )
    assert b"commit refs/heads/topic\nmark :2\n" in stream
    assert stream.count(b"from :1\n") == 1  # only the new branch needs it


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_built_history_matches_the_description(kind, tmp_path):
    path = str(tmp_path / "r")
    ids = MAKERS[kind](
        path,
        [
            {"files": {"a.txt": "one\n", b"caf\xe9.bin": b"\x00"}},
            {
                "files": {"a.txt": None},
                "message": "Second",
                "branch": "topic",
                "date": 1234567890,
                "author": "Ann <ann@example.com>",
            },
        ],
    )
    repo = open_repository(path)
    second = repo.get_changeset(ids[1])
    assert repo.get_changeset("topic") == second
    assert second.parents == [ids[0]]
    assert (second.message, second.author) == ("Second", "Ann <ann@example.com>")
    assert second.date.timestamp() == 1234567890
    # A non-UTF-8 file name survives as a surrogate-escaped str.
    names = [n.name for n in second.get_node("").entries()]
    assert names[-1] == "caf\udce9.bin"
    assert second.get_file_content("caf\udce9.bin") == b"\x00"


def test_git_work_tree_repository(tmp_path):
    path = str(tmp_path / "wt")
    ids = make_git_repo(path, [{"files": {"x": b"x\n"}}], bare=False)
    assert (tmp_path / "wt" / "x").read_bytes() == b"x\n"
    repo = open_repository(path)
    assert repo.kind == "git" and repo.get_changeset().id == ids[0]
