"""Effective permissions over users, user groups, nested repository groups
and defaults, one table, checked through every door: the permission
function, the listings, the mail filter, the web pages, git over HTTP and
hg over HTTP. Each row must be answered the same way everywhere."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from lindos.accounts.user_groups import do_add_member, do_create_user_group, do_update_user_group
from lindos.appsettings.current import save_app_settings
from lindos.repos.actions import do_set_permission, do_set_user_group_permission
from lindos.repos.group_actions import (
    do_create_repo_group,
    do_set_repo_group_default,
    do_set_repo_group_permission,
)
from lindos.repos.models import (
    RepoGroup,
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    Repository,
    RepositoryPermission,
    RepositoryUserGroupPermission,
)
from lindos.repos.permissions import (
    explain,
    filter_readers,
    group_permission_for,
    permission_for,
    readable_repo_groups,
    readable_repositories,
    repository_permissions,
    resolve,
)
from tests.gitclient import git_client
from tests.hgclient import hg_client
from tests.transport.conftest import server_url  # noqa: F401  (a fixture)

# -- the policy alone ------------------------------------------------------------

# (admin, owner, default, own grant, group grants, expected permission, expected source)
RESOLVE = [
    (True, False, "none", None, [], "admin", "site admin"),
    (False, True, "none", "none", [("g", "none")], "admin", "owner"),
    (False, False, "read", None, [], "read", "default"),
    (False, False, "read", "none", [], "read", "default"),  # "none" takes nothing away
    (False, False, "none", "none", [], "none", "own grant"),
    (False, False, "read", "write", [("g", "read")], "write", "own grant"),
    (False, False, "read", "read", [("g", "admin")], "admin", "user group g"),
    (False, False, "none", None, [("b", "write"), ("a", "read")], "write", "user group b"),
    (False, False, "none", "write", [("g", "write")], "write", "own grant"),  # a tie names the own grant
    (False, False, "write", None, [("g", "read")], "write", "default"),
    (False, False, "read", None, [("g", "read")], "read", "user group g"),
]


@pytest.mark.parametrize("admin, owner, default, own, groups, permission, source", RESOLVE)
def test_resolve(admin, owner, default, own, groups, permission, source):
    answer = resolve(admin=admin, owner=owner, default=default, own=own, groups=groups)
    assert (answer.permission, answer.source) == (permission, source)


# -- the world the table runs in -----------------------------------------------------
#
# Groups: team (default read) > team/core (default none). Repositories
# team/core/app (git) and team/core/apphg (hg), owned by olga. ulla is in
# user groups devs and ops (active) and retired (inactive); otto is in no group.

ROWS = [
    # (id, repository settings, grants, who, expected)
    ("default-read", {"private": False, "default": "read"}, {}, "ulla", "read"),
    ("default-none", {"private": False, "default": "none"}, {}, "ulla", "none"),
    ("anonymous-read", {"private": False, "default": "read"}, {}, "anonymous", "read"),
    ("anonymous-private", {"private": True}, {"own:ulla": "write"}, "anonymous", "none"),
    ("private-nothing", {"private": True}, {}, "ulla", "none"),
    ("own-write", {"private": True}, {"own:ulla": "write"}, "ulla", "write"),
    ("own-none-keeps-default", {"private": False, "default": "read"}, {"own:ulla": "none"}, "ulla", "read"),
    ("group-write", {"private": True}, {"group:devs": "write"}, "ulla", "write"),
    ("group-beats-own", {"private": True}, {"own:ulla": "read", "group:ops": "admin"}, "ulla", "admin"),
    ("strongest-group", {"private": True}, {"group:devs": "read", "group:ops": "write"}, "ulla", "write"),
    ("group-none-keeps-own", {"private": True}, {"own:ulla": "write", "group:devs": "none"}, "ulla", "write"),
    ("inactive-group-ignored", {"private": True}, {"group:retired": "admin"}, "ulla", "none"),
    ("not-a-member", {"private": True}, {"group:devs": "admin"}, "otto", "none"),
    ("default-beats-group", {"private": False, "default": "write"}, {"group:devs": "read"}, "ulla", "write"),
    ("owner", {"private": True}, {"group:devs": "none"}, "olga", "admin"),
    ("site-admin", {"private": True}, {}, "ada", "admin"),
    # grants on the outer group applied to its children reach the repository
    ("outer-group-applied", {"private": True}, {"team:devs:all": "write"}, "ulla", "write"),
    ("outer-group-user-applied", {"private": True}, {"team:ulla:repos": "read"}, "ulla", "read"),
    # ... but only when applied: a group's own grant is about the group
    ("outer-group-not-applied", {"private": True}, {"team:devs:none": "admin"}, "ulla", "none"),
    ("outer-group-only-groups", {"private": True}, {"team:devs:groups": "admin"}, "ulla", "none"),
]


@pytest.fixture
def world(make_user, make_repo):
    users = {
        "olga": make_user("olga", password="olga-pw"),
        "ulla": make_user("ulla", password="ulla-pw"),
        "otto": make_user("otto", password="otto-pw"),
        "ada": make_user("ada", password="ada-pw", admin=True),
    }
    groups = {}
    for name in ("devs", "ops", "retired"):
        groups[name] = do_create_user_group(name=name, owner=users["olga"])
        do_add_member(groups[name], users["ulla"])
    do_update_user_group(groups["retired"], active=False)
    team = do_create_repo_group(name="team", owner=users["olga"])
    core = do_create_repo_group(name="team/core", owner=users["olga"])
    do_set_repo_group_default(core, "none")
    repos = {
        "git": make_repo("team/core/app", owner=users["olga"], kind="git"),
        "hg": make_repo("team/core/apphg", owner=users["olga"], kind="hg"),
    }
    return {"users": users, "groups": groups, "team": team, "core": core, "repos": repos}


def apply_row(world, settings, grants):
    """Reset grants and settings, then set up one row on both repositories."""
    RepositoryPermission.objects.all().delete()
    RepositoryUserGroupPermission.objects.all().delete()
    RepoGroupPermission.objects.all().delete()
    RepoGroupUserGroupPermission.objects.all().delete()
    for repo in world["repos"].values():
        Repository.objects.filter(pk=repo.pk).update(
            private=settings["private"], default_permission=settings.get("default", "none")
        )
        repo.refresh_from_db()
        for key, level in grants.items():
            kind, name = key.split(":", 1)
            if kind == "own":
                do_set_permission(repo, world["users"][name], level)
            elif kind == "group":
                do_set_user_group_permission(repo, world["groups"][name], level)
    for key, level in grants.items():
        if key.startswith("team:"):
            _, who, recursive = key.split(":")
            target = (
                {"user": world["users"][who]}
                if who in world["users"]
                else {"user_group": world["groups"][who]}
            )
            do_set_repo_group_permission(world["team"], permission=level, recursive=recursive, **target)


def who_is(world, who):
    return AnonymousUser() if who == "anonymous" else world["users"][who]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_table_in_process_and_web(world, client, row):
    _, settings, grants, who, expected = row
    apply_row(world, settings, grants)
    user = who_is(world, who)
    if who != "anonymous":
        client.force_login(user)
    for repo in world["repos"].values():
        assert permission_for(user, repo) == expected
        assert explain(user, repo).permission == expected
        assert repository_permissions(user)[repo.pk][1].permission == expected
        assert readable_repositories(user).filter(pk=repo.pk).exists() == (expected != "none")
        if who != "anonymous":
            assert filter_readers(repo.pk, [user.pk]) == ({user.pk} if expected != "none" else set())
        # the pages: the summary to readers, the settings to admins, 404 to the rest
        summary = client.get(f"/{repo.name}")
        assert summary.status_code == (200 if expected != "none" else 404)
        settings_page = client.get(f"/{repo.name}/settings")
        wanted = {"none": (404, 302), "read": (403,), "write": (403,), "admin": (200,)}[expected]
        if who == "anonymous":
            wanted = (302,)  # management pages ask for a login first
        assert settings_page.status_code in wanted
        listed = f'href="/{repo.name}"' in client.get("/").content.decode()
        assert listed == (expected != "none")


def test_nested_group_permissions(world, client):
    """Group pages: team (default read) shows to everyone; team/core
    (default none) only to those with a grant, through a user group too."""
    ulla, otto = world["users"]["ulla"], world["users"]["otto"]
    team, core = world["team"], world["core"]
    assert group_permission_for(ulla, team) == "read" and group_permission_for(ulla, core) == "none"
    assert set(readable_repo_groups(otto)) == {team}
    do_set_repo_group_permission(
        team, user_group=world["groups"]["devs"], permission="write", recursive="groups"
    )
    assert group_permission_for(ulla, core) == "write"  # applied to the subgroup
    assert group_permission_for(otto, core) == "none"
    assert set(readable_repo_groups(ulla)) == {team, core}
    do_update_user_group(world["groups"]["devs"], active=False)
    assert group_permission_for(ulla, core) == "none"  # an inactive group gives nothing
    assert RepoGroup.objects.get(name="team/core").default_permission == "none"


# -- the same table through git and hg over HTTP ------------------------------------------

PASSWORDS = {"olga": "olga-pw", "ulla": "ulla-pw", "otto": "otto-pw", "ada": "ada-pw"}


def remote(server_url, name, who):
    host = server_url.split("//", 1)[1]
    auth = "" if who == "anonymous" else f"{quote(who)}:{quote(PASSWORDS[who])}@"
    return f"http://{auth}{host}/{name}"


@pytest.fixture
def local_work(tmp_path):
    """A git and an hg working copy, each with one commit to push."""
    git = git_client(tmp_path / "home-git", "T", "t@example.com")
    hg = hg_client(tmp_path / "home-hg")
    git_work, hg_work = tmp_path / "git-work", tmp_path / "hg-work"
    git("init", "-q", "-b", "main", str(git_work))
    (git_work / "f.txt").write_text("x\n")
    git("add", "f.txt", cwd=git_work)
    git("commit", "-q", "-m", "one", cwd=git_work)
    hg("init", str(hg_work))
    (hg_work / "f.txt").write_text("x\n")
    hg("commit", "-A", "-m", "one", cwd=hg_work)
    return git, git_work, hg, hg_work


def test_table_through_git_and_hg(server_url, world, local_work):
    git, git_work, hg, hg_work = local_work
    failures = []
    for row_id, settings, grants, who, expected in ROWS:
        apply_row(world, settings, grants)
        # a new commit each row, so a push always has something to send
        (git_work / "f.txt").write_text(row_id)
        git("commit", "-q", "-am", row_id, cwd=git_work)
        (hg_work / "f.txt").write_text(row_id)
        hg("commit", "-m", row_id, cwd=hg_work)
        can_read, can_write = expected != "none", expected in ("write", "admin")
        git_url = remote(server_url, "team/core/app", who)
        hg_url = remote(server_url, "team/core/apphg", who)
        answers = {
            "git read": git("ls-remote", git_url, check=False).returncode == 0,
            "git write": git("push", "-q", git_url, "main", cwd=git_work, check=False).returncode == 0,
            "hg read": hg("identify", hg_url, check=False).returncode == 0,
            "hg write": hg("push", hg_url, cwd=hg_work, check=False).returncode == 0,
        }
        wanted = {"git read": can_read, "git write": can_write, "hg read": can_read, "hg write": can_write}
        if answers != wanted:
            failures.append(f"{row_id}: got {answers}, wanted {wanted}")
    assert not failures, "\n".join(failures)


def test_anonymous_access_off_closes_every_door(server_url, world, client, local_work):
    git, _, hg, _ = local_work
    apply_row(world, {"private": False, "default": "read"}, {})
    save_app_settings(anonymous_access=False)
    response = client.get("/team/core/app")
    assert response.status_code == 302 and response["Location"].startswith("/_admin/login")
    assert client.get("/")["Location"].startswith("/_admin/login")
    assert client.get("/_admin/login").status_code == 200
    assert git("ls-remote", remote(server_url, "team/core/app", "anonymous"), check=False).returncode != 0
    assert hg("identify", remote(server_url, "team/core/apphg", "anonymous"), check=False).returncode != 0
    # logged-in users keep the default
    assert git("ls-remote", remote(server_url, "team/core/app", "otto"), check=False).returncode == 0
    client.force_login(world["users"]["otto"])
    assert client.get("/team/core/app").status_code == 200
