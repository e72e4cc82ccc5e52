"""Fixtures for the activity tests: real git and hg repositories built
from a list of commits (``lindos.vcs.testing``) and registered in the
test's database."""

import django
import pytest

django.setup()

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401

HOSTILE_MESSAGE = "Fix ]]> and <script>alert(1)</script> & \x01\x07bell\x1b[0m done\n\nBody <b>bold</b>"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Feeds are cached per tip; equal histories have equal ids."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def history_repo(repo_root, make_user):
    """``make(kind, name, commits, owner=..., private=...)``: a repository
    with that history, registered like one created on the web."""
    from lindos.repos.models import Repository
    from lindos.vcs.testing import make_git_repo, make_hg_repo

    def make(kind, name, commits, *, owner=None, private=False):
        path = repo_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        ids = (make_git_repo if kind == "git" else make_hg_repo)(path, commits)
        row = Repository.objects.create(name=name, kind=kind, owner=owner or make_user(), private=private)
        row.ids = ids
        return row

    return make
