"""Fixtures shared by the repository and transport tests (imported by
their conftest.py files)."""

import dataclasses
import itertools

import pytest

_counter = itertools.count(1)


@pytest.fixture
def repo_root(settings, tmp_path):
    """A fresh, empty repository root for this test."""
    root = tmp_path / "repos"
    root.mkdir()
    settings.LINDOS = dataclasses.replace(settings.LINDOS, base_path=str(root))
    return root


@pytest.fixture
def make_user(db):
    from lindos.accounts.registration import do_create_user

    def make(username=None, *, password="secret-pw", admin=False, active=True):
        username = username or f"user{next(_counter)}"
        return do_create_user(
            username=username,
            email=f"{username}@example.com",
            password=password,
            is_admin=admin,
            is_active=active,
        )

    return make


@pytest.fixture
def make_repo(db, repo_root, make_user):
    """Create a real (empty, bare) repository through the same action as the web form."""
    from lindos.repos.actions import do_create_repository

    def make(name=None, *, owner=None, private=False, kind="git", **kw):
        return do_create_repository(
            name=name or f"repo{next(_counter)}", kind=kind, owner=owner or make_user(), private=private, **kw
        )

    return make
