"""``lindos search-reindex`` run as an operator runs it."""

import os
import sqlite3

import pytest

from lindos.vcs.testing import make_git_repo, make_hg_repo
from tests.repos.test_cli import lindos, lindos_on_a_terminal


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    home = tmp_path_factory.mktemp("site")
    config = home / "lindos.ini"
    assert lindos("config-create", str(config)).returncode == 0
    for args in (
        ["db-upgrade"],
        [
            "create-user",
            "--username",
            "root",
            "--email",
            "root@example.com",
            "--password",
            "root-pw1",
            "--admin",
        ],
    ):
        result = lindos(*args, "-c", str(config))
        assert result.returncode == 0, result.stderr
    repos = home / "repos"
    make_git_repo(
        repos / "koalas", [{"files": {"a.txt": "koala\n", "b.txt": "eucalyptus\n"}, "message": "Koalas"}]
    )
    make_hg_repo(
        repos / "group" / "hgkoalas", [{"files": {"c.txt": "koala too\n"}, "message": "More koalas"}]
    )
    assert lindos("repo-scan", "-c", str(config)).returncode == 0
    return config


def matches(config, table, text):
    db = sqlite3.connect(config.parent / "data" / "lindos.db")
    return db.execute(f"select count(*) from {table} where {table} match ?", (f'"{text}"',)).fetchone()[0]


def test_reindex_every_repository(site):
    result = lindos("search-reindex", "-c", str(site))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "indexed group/hgkoalas: 1 file(s), 1 commit(s)",
        "indexed koalas: 2 file(s), 1 commit(s)",
    ]
    assert lines[2].startswith("Indexed 2 of 2 repositories: 3 file(s), 2 commit(s) in ")
    assert "\r" not in result.stdout
    assert matches(site, "search_blob_fts", "koala") == 2
    assert matches(site, "search_commit_fts", "koalas") == 2
    # Again: rebuilt from nothing, the same index (nothing twice).
    assert lindos("search-reindex", "-c", str(site)).returncode == 0
    assert matches(site, "search_blob_fts", "koala") == 2
    update = lindos("search-reindex", "-c", str(site), "--update", "koalas")
    assert update.stdout.splitlines()[0] == "indexed koalas: 0 file(s), 0 commit(s)"


def test_unknown_repository_is_an_error(site):
    result = lindos("search-reindex", "-c", str(site), "koalas", "nope")
    assert result.returncode == 1
    assert result.stderr.strip() == "lindos: error: no repository named nope"


def test_progress_bar_on_a_terminal(site):
    returncode, text = lindos_on_a_terminal("search-reindex", "-c", str(site))
    assert returncode == 0
    assert "\r[###############               ] 1/2 group/hgkoalas" in text
    assert "\r[##############################] 2/2 koalas" in text
    assert "Indexed 2 of 2 repositories" in text
