"""A small site for the Kallithea URL tests: an admin, two users, a public
repository with history in a group, a private one, a user group."""

import dataclasses

import pytest

from lindos.vcs.testing import build_fast_import_stream, run_fast_import
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401  (fixtures)


@dataclasses.dataclass
class Site:
    admin: object
    olga: object  # owns the repositories
    ulla: object  # a plain user
    public: object
    secret: object
    user_group: object
    commits: list


@pytest.fixture
def site(make_user, make_repo) -> Site:
    from lindos.accounts.user_groups import do_create_user_group

    admin, olga, ulla = make_user("root", admin=True), make_user("olga"), make_user("ulla")
    public = make_repo("team/app", owner=olga)
    commits = [
        {"files": {"README": "hello\n"}, "message": "First <b>commit</b>", "tag": "v1"},
        {"files": {"README": "hello again\n"}, "message": "Second", "branch": "feature"},
    ]
    marks = run_fast_import(public.path, build_fast_import_stream(commits, "master"))
    secret = make_repo("team/secret", owner=olga, private=True)
    user_group = do_create_user_group(name="devs", owner=olga)
    return Site(admin, olga, ulla, public, secret, user_group, [marks[1], marks[2]])
