"""User group and repository group methods over a live server, with the
abuse cases: another user's group, hidden groups, bad names and levels."""

import pytest

from lindos.accounts.models import UserGroup
from lindos.accounts.user_groups import do_create_user_group
from lindos.repos.group_actions import do_create_repo_group, do_set_repo_group_default
from lindos.repos.models import RepoGroup, Repository
from lindos.repos.permissions import group_permission_for, permission_for


@pytest.fixture
def as_admin(api, admin):
    return api.as_user(admin)


@pytest.fixture
def as_alice(api, alice):
    return api.as_user(alice)


@pytest.fixture
def as_bob(api, bob):
    return api.as_user(bob)


def grant_on_group(call, group, perm, userid="alice", **extra):
    """``grant_user_permission_to_repo_group`` of ``userid`` on ``group``
    through ``call`` (a caller's ``ok`` or ``error``)."""
    return call("grant_user_permission_to_repo_group", repogroupid=group, userid=userid, perm=perm, **extra)


def test_user_group_lifecycle(as_admin, as_bob, alice, bob, make_repo):
    created = as_admin.ok("create_user_group", group_name="devs", description="Developers")
    assert created["msg"] == "created new user group `devs`"
    group = created["user_group"]
    assert (group["group_name"], group["owner"], group["active"], group["members"]) == (
        "devs",
        "boss",
        True,
        [],
    )
    assert as_admin.error("create_user_group", group_name="devs") == "user group `devs` already exist"
    added = as_admin.ok("add_user_to_user_group", usergroupid="devs", userid="alice")
    assert added == {"success": True, "msg": "added member `alice` to user group `devs`"}
    again = as_admin.ok("add_user_to_user_group", usergroupid="devs", userid="alice")
    assert again == {"success": False, "msg": "User is already in that group"}
    got = as_admin.ok("get_user_group", usergroupid=group["users_group_id"])
    assert [m["username"] for m in got["members"]] == ["alice"]
    repo = make_repo("secret", owner=bob, private=True)
    granted = as_bob.ok(
        "grant_user_group_permission", repoid="secret", usergroupid="devs", perm="repository.write"
    )
    assert granted["success"] is True
    assert permission_for(alice, repo) == "write"
    updated = as_admin.ok("update_user_group", usergroupid="devs", group_name="developers", active=False)
    assert updated["user_group"]["group_name"] == "developers"
    assert permission_for(alice, repo) == "none"  # inactive
    as_bob.ok("revoke_user_group_permission", repoid="secret", usergroupid="developers")
    removed = as_admin.ok("remove_user_from_user_group", usergroupid="developers", userid="alice")
    assert removed["success"] is True
    deleted = as_admin.ok("delete_user_group", usergroupid="developers")
    assert deleted["user_group"] is None and not UserGroup.objects.exists()


def test_user_groups_of_others_do_not_exist(as_admin, as_alice, as_bob, bob, make_repo):
    group = do_create_user_group(name="bobs", owner=bob)
    for method, args in [
        ("get_user_group", {}),
        ("update_user_group", {"group_name": "mine"}),
        ("delete_user_group", {}),
        ("add_user_to_user_group", {"userid": "alice"}),
    ]:
        assert (
            as_alice.error(method, usergroupid=group.pk, **args) == f"user group `{group.pk}` does not exist"
        )
    assert as_alice.ok("get_user_groups") == []
    assert [g["group_name"] for g in as_bob.ok("get_user_groups")] == ["bobs"]
    assert as_alice.error("create_user_group", group_name="x") == "no permission to create user groups"
    # granting on a repository alice does not administer: the repository does not exist for her
    make_repo("bobs-repo", owner=bob, private=True)
    error = as_alice.error(
        "grant_user_group_permission", repoid="bobs-repo", usergroupid="bobs", perm="repository.read"
    )
    assert error == "repository `bobs-repo` does not exist"
    for bad in ["a/b", "<b>", "x" * 101, "a\x00b"]:
        assert as_admin.error("create_user_group", group_name=bad).startswith("failed to create group")
    assert as_admin.error("get_user_group", usergroupid="nope") == "user group `nope` does not exist"


def test_repo_group_lifecycle(as_admin, admin, alice, make_repo):
    made = as_admin.ok("create_repo_group", group_name="team", description="The team")
    assert made["msg"] == "created new repo group `team`"
    sub = as_admin.ok("create_repo_group", group_name="core", parent="team")["repo_group"]
    assert (sub["group_name"], sub["parent_group"]) == ("team/core", "team")
    make_repo("team/core/app", owner=admin, private=True)
    assert as_admin.ok("get_repo_group", repogroupid="team/core")["repositories"] == ["team/core/app"]
    assert [g["group_name"] for g in as_admin.ok("get_repo_groups")] == ["team", "team/core"]
    granted = grant_on_group(as_admin.ok, "team", "group.write", apply_to_children="all")
    assert (
        granted["msg"]
        == "Granted perm: `group.write` (recursive:all) for user: `alice` in repo group: `team`"
    )
    assert permission_for(alice, Repository.objects.get(name="team/core/app")) == "write"
    members = as_admin.ok("get_repo_group", repogroupid="team")["members"]
    assert members == [{"name": "alice", "type": "user", "permission": "group.write"}]
    # renaming: team/core -> team/kernel; the repository moves with it
    moved = as_admin.ok("update_repo_group", repogroupid="team/core", group_name="kernel")
    assert moved["repo_group"]["group_name"] == "team/kernel"
    assert Repository.objects.filter(name="team/kernel/app").exists()
    as_admin.ok(
        "revoke_user_permission_from_repo_group", repogroupid="team", userid="alice", apply_to_children="all"
    )
    assert as_admin.error("delete_repo_group", repogroupid="team").startswith("failed to delete repo group")


def test_repo_group_abuse(as_admin, as_alice, admin, alice):
    secret = do_create_repo_group(name="secret", owner=admin)
    do_set_repo_group_default(secret, "none")
    for method in ["get_repo_group", "delete_repo_group", "update_repo_group"]:
        assert as_alice.error(method, repogroupid="secret").startswith("no permission")
    error = grant_on_group(as_alice.error, "secret", "group.admin")
    assert error == "repository group `secret` does not exist"
    assert group_permission_for(alice, secret) == "none"
    for name in ["../x", "a/b", "<script>", "_admin", "files"]:
        assert as_admin.error("create_repo_group", group_name=name).startswith("failed to create repo group")
    as_admin.ok("create_repo_group", group_name="sub", parent="secret")
    error = as_admin.error("update_repo_group", repogroupid="secret", parent="secret/sub")
    assert "inside itself" in error
    assert as_admin.error("create_repo_group", group_name="SECRET") == "repo group `SECRET` already exist"
    bad_level = grant_on_group(as_admin.error, "secret", "repository.read")
    assert bad_level == "permission `repository.read` does not exist"
    bad_children = grant_on_group(as_admin.error, "secret", "group.read", apply_to_children="everything")
    assert "apply_to_children" in bad_children
    assert set(RepoGroup.objects.values_list("name", flat=True)) == {"secret", "secret/sub"}
