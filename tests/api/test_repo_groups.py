"""Repository group methods over a live server, with the abuse cases:
hidden groups, bad names and levels."""

from lindos.accounts.models import UserGroup
from lindos.accounts.user_groups import do_create_user_group
from lindos.repos.group_actions import do_create_repo_group, do_set_repo_group_default
from lindos.repos.models import RepoGroup, Repository
from lindos.repos.permissions import group_permission_for, permission_for


def test_repo_group_lifecycle(api, admin, alice, make_repo):
    made = api.ok(admin.api_key, "create_repo_group", group_name="team", description="The team")
    assert made["msg"] == "created new repo group `team`"
    sub = api.ok(admin.api_key, "create_repo_group", group_name="core", parent="team")["repo_group"]
    assert (sub["group_name"], sub["parent_group"]) == ("team/core", "team")
    make_repo("team/core/app", owner=admin, private=True)
    assert api.ok(admin.api_key, "get_repo_group", repogroupid="team/core")["repositories"] == [
        "team/core/app"
    ]
    assert [g["group_name"] for g in api.ok(admin.api_key, "get_repo_groups")] == ["team", "team/core"]
    granted = api.ok(
        admin.api_key,
        "grant_user_permission_to_repo_group",
        repogroupid="team",
        userid="alice",
        perm="group.write",
        apply_to_children="all",
    )
    assert (
        granted["msg"]
        == "Granted perm: `group.write` (recursive:all) for user: `alice` in repo group: `team`"
    )
    assert permission_for(alice, Repository.objects.get(name="team/core/app")) == "write"
    members = api.ok(admin.api_key, "get_repo_group", repogroupid="team")["members"]
    assert members == [{"name": "alice", "type": "user", "permission": "group.write"}]
    # renaming: team/core -> team/kernel; the repository moves with it
    moved = api.ok(admin.api_key, "update_repo_group", repogroupid="team/core", group_name="kernel")
    assert moved["repo_group"]["group_name"] == "team/kernel"
    assert Repository.objects.filter(name="team/kernel/app").exists()
    api.ok(
        admin.api_key,
        "revoke_user_permission_from_repo_group",
        repogroupid="team",
        userid="alice",
        apply_to_children="all",
    )
    assert api.error(admin.api_key, "delete_repo_group", repogroupid="team").startswith(
        "failed to delete repo group"
    )


def test_repo_group_abuse(api, admin, alice):
    secret = do_create_repo_group(name="secret", owner=admin)
    do_set_repo_group_default(secret, "none")
    for method in ["get_repo_group", "delete_repo_group", "update_repo_group"]:
        assert api.error(alice.api_key, method, repogroupid="secret").startswith("no permission")
    error = api.error(
        alice.api_key,
        "grant_user_permission_to_repo_group",
        repogroupid="secret",
        userid="alice",
        perm="group.admin",
    )
    assert error == "repository group `secret` does not exist"
    assert group_permission_for(alice, secret) == "none"
    for name in ["../x", "a/b", "<script>", "_admin", "files"]:
        assert api.error(admin.api_key, "create_repo_group", group_name=name).startswith(
            "failed to create repo group"
        )
    api.ok(admin.api_key, "create_repo_group", group_name="sub", parent="secret")
    error = api.error(admin.api_key, "update_repo_group", repogroupid="secret", parent="secret/sub")
    assert "inside itself" in error
    assert (
        api.error(admin.api_key, "create_repo_group", group_name="SECRET")
        == "repo group `SECRET` already exist"
    )
    bad_level = api.error(
        admin.api_key,
        "grant_user_permission_to_repo_group",
        repogroupid="secret",
        userid="alice",
        perm="repository.read",
    )
    assert bad_level == "permission `repository.read` does not exist"
    bad_children = api.error(
        admin.api_key,
        "grant_user_permission_to_repo_group",
        repogroupid="secret",
        userid="alice",
        perm="group.read",
        apply_to_children="everything",
    )
    assert "apply_to_children" in bad_children
    assert set(RepoGroup.objects.values_list("name", flat=True)) == {"secret", "secret/sub"}
