"""User group methods over a live server, with the
abuse cases: another user's group, hidden groups, bad names and levels."""

import pytest

from lindos.accounts.models import UserGroup
from lindos.accounts.user_groups import do_create_user_group, do_set_user_group_default
from lindos.repos.permissions import permission_for


@pytest.fixture
def as_admin(api, admin):
    return api.as_user(admin)


@pytest.fixture
def as_alice(api, alice):
    return api.as_user(alice)


@pytest.fixture
def as_bob(api, bob):
    return api.as_user(bob)


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
    do_set_user_group_default(group, "none")  # hidden: only bob and the admins may see it
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
