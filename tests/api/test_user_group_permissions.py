"""The API's side of who may do what with a user group (Kallithea's
``api.py``): reading and naming a group in a grant needs read on it,
changing it admin; a group one may not read or manage "does not exist".
The table is ``tests/accounts/test_user_group_permissions.py``'s."""

import pytest

from lindos.accounts.models import UserGroup
from lindos.repos.models import RepoGroupUserGroupPermission, RepositoryUserGroupPermission
from tests.accounts.test_user_group_permissions import TABLE, build_world


@pytest.fixture
def world(make_user):
    return build_world(make_user)


def test_the_table_through_the_api(api, world, make_repo):
    for (who, group), (level, _) in TABLE.items():
        user, target = world[who], world[group]
        key = user.api_key
        missing = f"user group `{target.pk}` does not exist"
        if level == "none":
            assert api.error(key, "get_user_group", usergroupid=target.pk) == missing
        else:
            assert api.ok(key, "get_user_group", usergroupid=target.pk)["group_name"] == group
        listed = [g["group_name"] for g in api.ok(key, "get_user_groups")]
        assert (group in listed) == (level != "none"), (who, group)
        # Kallithea's get_user: the level on every user group.
        assert api.ok(world["root"].api_key, "get_user", userid=who)["permissions"]["user_groups"][group] == (
            f"usergroup.{level}"
        )
        # Changing it needs admin; read and write answer "does not exist", as in Kallithea.
        changed = api.call(key, "update_user_group", usergroupid=target.pk, description=f"by {who}")
        if level == "admin":
            assert changed["error"] is None
            assert UserGroup.objects.get(pk=target.pk).description == f"by {who}"
        else:
            assert changed["error"] == missing
        # Naming it in a grant on one's own repository needs read.
        repo = make_repo(f"{who}-{group}", owner=user)
        granted = api.call(
            key, "grant_user_group_permission", repoid=repo.name, usergroupid=group, perm="repository.read"
        )
        assert (granted["error"] is None) == (level != "none"), (who, group, granted)
        if level == "none":
            assert granted["error"] == f"user group `{group}` does not exist"
        assert RepositoryUserGroupPermission.objects.filter(repository=repo).exists() == (level != "none")


def test_a_read_only_user_cannot_change_a_group_through_the_api(api, world):
    team, rita, eve = world["team"], world["rita"], world["eve"]
    members = sorted(team.members.values_list("pk", flat=True))
    for user in (rita, eve):  # read; none
        for method, args in [
            ("update_user_group", {"group_name": "mine", "active": False, "owner": user.username}),
            ("add_user_to_user_group", {"userid": user.username}),
            ("remove_user_from_user_group", {"userid": "mona"}),
            ("delete_user_group", {}),
        ]:
            for ident in (team.pk, "team"):
                error = api.error(user.api_key, method, usergroupid=ident, **args)
                assert error == f"user group `{ident}` does not exist", (user, method)
    team.refresh_from_db()
    assert (team.name, team.active, team.owner, sorted(team.members.values_list("pk", flat=True))) == (
        "team",
        True,
        world["olga"],
        members,
    )


def test_a_delegated_admin_uses_the_api(api, world):
    adam, team = world["adam"], world["team"]
    added = api.ok(adam.api_key, "add_user_to_user_group", usergroupid="team", userid="eve")
    assert added["success"] is True and team.members.filter(username="eve").exists()
    removed = api.ok(adam.api_key, "remove_user_from_user_group", usergroupid="team", userid="eve")
    assert removed["success"] is True
    assert (
        api.ok(adam.api_key, "delete_user_group", usergroupid="team")["msg"]
        == f"deleted user group ID:{team.pk} team"
    )
    assert not UserGroup.objects.filter(name="team").exists()


def test_hidden_groups_in_repo_group_grants(api, world):
    from lindos.repos.group_actions import do_create_repo_group

    eve = world["eve"]
    do_create_repo_group(name="eve-group", owner=eve)
    for method, args in [
        ("grant_user_group_permission_to_repo_group", {"perm": "group.read"}),
        ("revoke_user_group_permission_from_repo_group", {}),
    ]:
        error = api.error(eve.api_key, method, repogroupid="eve-group", usergroupid="team", **args)
        assert error == "user group `team` does not exist"
    assert not RepoGroupUserGroupPermission.objects.exists()
    assert api.ok(
        eve.api_key,
        "grant_user_group_permission_to_repo_group",
        repogroupid="eve-group",
        usergroupid="open",
        perm="group.read",
    )["success"]
    # Odd ids: markup, NUL, huge numbers, a list: an error answer, never a 500 (``call`` checks the 200).
    for ident in ("<b>team</b>", "te\x00am", 10**30, ["team"]):
        answer = api.call(eve.api_key, "get_user_group", usergroupid=ident)
        assert answer["result"] is None and answer["error"], ident
