"""Fixtures for the search tests: real git and hg repositories registered
in Lindos, and a working copy to push more commits into them with the real
clients (then ``do_after_push``, as the transports call it)."""

from __future__ import annotations

import dataclasses
import os
import subprocess

import django
import pytest

django.setup()

from lindos.vcs.process import GIT_BINARY, git_env  # noqa: E402
from lindos.vcs.testing import _hg_env, hg_binary, make_git_repo, make_hg_repo  # noqa: E402
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401

AUTHOR = "Searcher <searcher@example.com>"


@pytest.fixture
def search_home(settings, repo_root, tmp_path):
    """Repository root and cache (the job spool) of this test alone."""
    cache = tmp_path / "cache"
    cache.mkdir()
    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(cache))
    return repo_root


@pytest.fixture
def make_indexed_repo(search_home, make_user):
    """A real repository with ``commits`` (``lindos.vcs.testing``'s dicts),
    registered in the database (not indexed yet)."""
    from lindos.repos.models import Repository

    def make(name, commits, *, kind="git", owner=None, private=False):
        path = search_home / name
        path.parent.mkdir(parents=True, exist_ok=True)
        ids = (make_git_repo if kind == "git" else make_hg_repo)(path, commits)
        row = Repository.objects.create(
            name=name,
            kind=kind,
            owner=owner or make_user(),
            private=private,
            default_permission="none" if private else "read",
        )
        row.ids = ids
        return row

    return make


class WorkingCopy:
    """A clone of a server repository to commit in and push back."""

    def __init__(self, kind: str, server: str, path: str):
        self.kind, self.server, self.path = kind, server, path
        if kind == "git":
            self._git("clone", "--quiet", server, path, cwd=None)
        else:
            self._hg("clone", "--quiet", server, path, cwd=None)

    def _git(self, *args, cwd="."):
        base = [GIT_BINARY, "-c", "user.name=Searcher", "-c", "user.email=searcher@example.com"]
        return subprocess.run(
            [*base, *args], cwd=self.path if cwd else None, env=git_env(), check=True, capture_output=True
        ).stdout.decode()

    def _hg(self, *args, cwd="."):
        return subprocess.run(
            [hg_binary(), *args],
            cwd=self.path if cwd else None,
            env=_hg_env(),
            check=True,
            capture_output=True,
        ).stdout.decode()

    def switch(self, branch: str, new: bool = False) -> None:
        if self.kind == "git":
            self._git("checkout", "--quiet", *(["-b"] if new else []), branch)
        elif new:
            self._hg("branch", "--quiet", branch)
        else:
            self._hg("update", "--quiet", branch)

    def commit(self, files: dict, message: str) -> None:
        for name, content in files.items():
            full = os.path.join(self.path, name)
            if content is None:
                os.unlink(full)
                continue
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as fh:
                fh.write(content if isinstance(content, bytes) else content.encode())
        if self.kind == "git":
            self._git("add", "--all")
            self._git("commit", "--quiet", "-m", message)
        else:
            self._hg("commit", "--addremove", "--quiet", "-u", AUTHOR, "-m", message)

    def push(self, row, user=None) -> list:
        """Push every branch to the server and tell Lindos, as a transport
        does; returns the ref changes."""
        from lindos.repos.journal import ZERO_ID, RefChange
        from lindos.repos.push import do_after_push
        from lindos.vcs import open_repository

        before = open_repository(self.server).branches
        if self.kind == "git":
            self._git("push", "--quiet", "--all", "--force", "origin")
        else:
            subprocess.run(
                [hg_binary(), "push", "--new-branch", "--force", self.server],
                cwd=self.path,
                env=_hg_env(),
                capture_output=True,
            )
        after = open_repository(self.server).branches
        changes = [
            RefChange(f"refs/heads/{name}", before.get(name, ZERO_ID), after.get(name, ZERO_ID))
            for name in sorted(set(before) | set(after))
            if before.get(name) != after.get(name)
        ]
        do_after_push(row, user, changes)
        return changes


@pytest.fixture
def working_copy(tmp_path):
    def make(row):
        return WorkingCopy(row.kind, row.path, str(tmp_path / f"work-{row.pk}"))

    return make


def check_fulltext_tables() -> None:
    """SQLite: FTS5's own check that each full-text index matches its
    table exactly (the triggers kept them in step)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in ("search_blob_fts", "search_path_fts", "search_commit_fts"):
            cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
