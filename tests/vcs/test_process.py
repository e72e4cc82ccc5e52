"""The isolated ``git`` subprocess helpers (lindos/vcs/process.py)."""

import bz2
import os
import sys

import pytest

from lindos.vcs.errors import VCSError
from lindos.vcs.process import bzip2_stream, git_env, run_git, stream_command


def test_git_env_drops_inherited_git_variables(monkeypatch):
    monkeypatch.setenv("GIT_DIR", "/somewhere/else")
    monkeypatch.setenv("GIT_INDEX_FILE", "/tmp/index")
    env = git_env()
    assert "GIT_DIR" not in env and "GIT_INDEX_FILE" not in env
    assert env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull
    assert env["GIT_LITERAL_PATHSPECS"] == "1"


def test_run_git_reports_failure(tmp_path):
    with pytest.raises(VCSError, match="git rev-parse failed"):
        run_git(str(tmp_path), "rev-parse", "HEAD")


def test_stream_command_yields_chunks_and_checks_exit():
    script = 'import sys; sys.stdout.write("x" * 200000)'
    chunks = list(stream_command([sys.executable, "-c", script]))
    assert b"".join(chunks) == b"x" * 200000
    failing = stream_command([sys.executable, "-c", 'import sys; sys.stderr.write("boom"); sys.exit(3)'])
    with pytest.raises(VCSError, match="boom"):
        list(failing)


def test_closing_a_stream_early_kills_the_process():
    script = 'import sys\nwhile True: sys.stdout.write("y" * 65536)'
    stream = stream_command([sys.executable, "-c", script])
    assert next(stream)
    stream.close()  # must return, not hang on a writer blocked on a pipe


def test_bzip2_stream_round_trips():
    chunks = [b"abc" * 1000, b"", b"def" * 5000]
    assert bz2.decompress(b"".join(bzip2_stream(chunks))) == b"".join(chunks)
