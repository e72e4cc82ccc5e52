"""Repository group pages and actions as users see them: create, nest,
move, rename (repositories move on disk), delete when empty, permissions
with "apply to children", and the group's page at its path; and the abuse
cases: hidden groups, odd names, moving into itself, renaming onto a used name."""

import pytest
from django.core.exceptions import ValidationError

from lindos.accounts.user_groups import do_add_member, do_create_user_group
from lindos.repos.group_actions import (
    do_create_repo_group,
    do_delete_repo_group,
    do_set_repo_group_default,
    do_set_repo_group_permission,
    do_update_repo_group,
)
from lindos.repos.models import RepoGroup, Repository, RepositoryPermission, RepositoryUserGroupPermission
from lindos.repos.permissions import group_permission_for, permission_for


@pytest.fixture
def admin(make_user, repo_root):
    """An admin, and a fresh repository root: groups are folders too."""
    return make_user("root", admin=True)


def test_groups_for_nested_names_and_the_group_page(client, make_repo, make_user, admin):
    owner = make_user("olga")
    make_repo("team/core/app", owner=owner)
    make_repo("team/site", owner=owner, private=True)
    assert set(RepoGroup.objects.values_list("name", flat=True)) == {"team", "team/core"}
    page = client.get("/team").content.decode()
    assert 'href="/team/core"' in page and 'href="/team/site"' not in page  # private: not listed
    assert 'href="/team/core/app"' not in page  # only what is directly inside
    client.force_login(owner)
    assert 'href="/team/site"' in client.get("/team").content.decode()
    assert 'href="/team/core/app"' in client.get("/team/core").content.decode()


def test_hidden_group_is_404_everywhere(client, make_user, admin):
    group = do_create_repo_group(name="secret", owner=admin)
    do_set_repo_group_default(group, "none")
    client.force_login(make_user("otto"))
    for url in ["/secret", "/_admin/repo_groups/secret/edit", "/_admin/repo_groups/secret/permissions"]:
        assert client.get(url).status_code == 404, url
        assert client.get(url.replace("secret", "nothing-here")).status_code == 404
    assert client.post("/_admin/repo_groups/secret/delete").status_code == 404
    assert "secret" not in client.get("/_admin/repo_groups").content.decode()
    assert RepoGroup.objects.filter(name="secret").exists()
    # and creating inside it answers like a used name, never "exists"
    response = client.post("/_admin/repos/new", {"name": "secret/x", "kind": "git"})
    assert "is not available" in response.content.decode()
    assert not Repository.objects.filter(name="secret/x").exists()


def test_reader_of_group_may_not_manage_it(client, make_user, admin):
    do_create_repo_group(name="open", owner=admin)
    client.force_login(make_user())
    assert client.get("/open").status_code == 200
    assert client.get("/_admin/repo_groups/open/edit").status_code == 403
    assert client.post("/_admin/repo_groups/open/delete").status_code == 403


def test_create_group_rights(client, make_user, admin):
    user = make_user("ulla")
    client.force_login(user)
    refused = client.post("/_admin/repo_groups/new", {"name": "corp"})
    assert "You may not create" in refused.content.decode()
    # a user's own namespace is always theirs
    response = client.post("/_admin/repo_groups/new", {"name": "ulla"})
    assert response.status_code == 302 and response["Location"] == "/ulla"
    corp = do_create_repo_group(name="corp", owner=admin)
    do_set_repo_group_permission(corp, user=user, permission="write")
    assert (
        "You may not create" in client.post("/_admin/repo_groups/new", {"name": "corp/sub"}).content.decode()
    )
    do_set_repo_group_permission(corp, user=user, permission="admin")
    response = client.post("/_admin/repo_groups/new", {"name": "corp/sub", "copy_permissions": "on"})
    assert response.status_code == 302
    sub = RepoGroup.objects.get(name="corp/sub")
    assert group_permission_for(user, sub) == "admin"  # copied from the parent


@pytest.mark.parametrize(
    "name",
    ["../up", "a/../b", "<script>x", "a\x00b", "x" * 201, "/", "a//b", "_admin", "a/settings", "a b", "é"],
)
def test_odd_group_names_are_refused(client, admin, name, repo_root):
    client.force_login(admin)
    response = client.post("/_admin/repo_groups/new", {"name": name})
    assert response.status_code == 200  # the form again, with the reason
    assert not RepoGroup.objects.exists()
    assert list(repo_root.iterdir()) == []


def test_move_and_rename_move_repositories_on_disk(client, make_repo, admin, repo_root):
    make_repo("team/core/app", owner=admin)
    make_repo("team/site", owner=admin)
    do_create_repo_group(name="attic", owner=admin)
    client.force_login(admin)
    response = client.post("/_admin/repo_groups/team/edit", {"name": "attic/old-team", "owner": "root"})
    assert response.status_code == 302
    assert set(Repository.objects.values_list("name", flat=True)) == {
        "attic/old-team/core/app",
        "attic/old-team/site",
    }
    assert set(RepoGroup.objects.values_list("name", flat=True)) == {
        "attic",
        "attic/old-team",
        "attic/old-team/core",
    }
    assert (repo_root / "attic" / "old-team" / "core" / "app" / "HEAD").is_file()
    assert not (repo_root / "team").exists()
    assert client.get("/attic/old-team/core/app").status_code == 200


def test_move_into_itself_or_onto_a_used_name_is_refused(make_repo, admin):
    make_repo("team/core/app", owner=admin)
    make_repo("other", owner=admin)
    do_create_repo_group(name="taken", owner=admin)
    team = RepoGroup.objects.get(name="team")
    for target, message in [
        ("team/core/team", "inside itself"),
        ("team", None),
        ("other", "not available"),
        ("taken", "not available"),
        ("other/team", "not available"),  # inside a repository
    ]:
        if message is None:
            do_update_repo_group(team, name=target)  # no change
            continue
        with pytest.raises(ValidationError, match=message):
            do_update_repo_group(team, name=target, actor=admin)
    assert Repository.objects.filter(name="team/core/app").exists()


def test_moving_needs_admin_on_the_new_parent(make_user, make_repo, admin):
    user = make_user("ulla")
    mine = do_create_repo_group(name="ulla", owner=user)
    do_create_repo_group(name="ulla/proj", owner=user)
    corp = do_create_repo_group(name="corp", owner=admin)
    proj = RepoGroup.objects.get(name="ulla/proj")
    with pytest.raises(ValidationError, match="You may not create"):
        do_update_repo_group(proj, name="corp/proj", actor=user)
    do_set_repo_group_permission(corp, user=user, permission="admin")
    do_update_repo_group(proj, name="corp/proj", actor=user)
    assert RepoGroup.objects.filter(name="corp/proj").exists() and mine.pk


def test_delete_only_when_empty(client, make_repo, admin, repo_root):
    make_repo("team/app", owner=admin)
    client.force_login(admin)
    client.post("/_admin/repo_groups/team/delete")
    assert RepoGroup.objects.filter(name="team").exists()
    Repository.objects.get(name="team/app").delete()
    group = RepoGroup.objects.get(name="team")
    (repo_root / "team" / "app").rename(repo_root / "elsewhere")
    response = client.post("/_admin/repo_groups/team/delete")
    assert response.status_code == 302 and not RepoGroup.objects.filter(pk=group.pk).exists()
    assert not (repo_root / "team").exists()
    with pytest.raises(ValidationError):
        do_delete_repo_group(
            do_create_repo_group(name="full/sub", owner=admin) and RepoGroup.objects.get(name="full")
        )


def test_apply_to_children_through_the_page(client, make_repo, make_user, admin):
    ulla = make_user("ulla")
    devs = do_create_user_group(name="devs", owner=admin)
    do_add_member(devs, ulla)
    app = make_repo("team/core/app", owner=admin, private=True)
    client.force_login(admin)
    url = "/_admin/repo_groups/team/permissions"
    client.post(url, {"action": "grant", "user_group": "devs", "permission": "write", "recursive": "all"})
    assert permission_for(ulla, app) == "write"
    assert RepositoryUserGroupPermission.objects.filter(repository=app, permission="write").exists()
    grant = RepoGroup.objects.get(name="team").user_group_permissions.get()
    client.post(url, {"action": "revoke_group", "grant": grant.pk, "recursive": "all"})
    assert permission_for(ulla, app) == "none"
    # a user, this group only: nothing reaches the repository
    client.post(url, {"action": "grant", "username": "ulla", "permission": "admin", "recursive": "none"})
    assert (
        permission_for(ulla, app) == "none"
        and not RepositoryPermission.objects.filter(repository=app).exists()
    )
    # tampered forms: no 500
    for data in [
        {"action": "revoke_user", "grant": "x"},
        {"action": "grant", "username": "", "user_group": ""},
    ]:
        assert client.post(url, data).status_code in (200, 302)
    assert (
        client.post(url, {"action": "grant", "username": "nobody", "permission": "read"}).status_code == 200
    )


def test_default_applied_to_children_keeps_private_repositories_closed(make_repo, admin, make_user):
    public = make_repo("team/pub", owner=admin)
    private = make_repo("team/priv", owner=admin, private=True)
    do_set_repo_group_default(RepoGroup.objects.get(name="team"), "write", recursive="repos")
    public.refresh_from_db(), private.refresh_from_db()
    assert (public.default_permission, private.default_permission) == ("write", "none")
    assert permission_for(make_user(), private) == "none"


def test_new_repository_copies_the_group_permissions(client, make_user, admin):
    ulla = make_user("ulla")
    team = do_create_repo_group(name="team", owner=admin)
    do_set_repo_group_permission(team, user=ulla, permission="write")
    client.force_login(ulla)
    response = client.post(
        "/_admin/repos/new", {"name": "team/new", "kind": "git", "copy_group_permissions": "on"}
    )
    assert response.status_code == 302
    repo = Repository.objects.get(name="team/new")
    assert RepositoryPermission.objects.get(repository=repo).permission == "write"


def test_a_repository_may_not_take_a_group_name(client, make_user, admin):
    do_create_repo_group(name="team", owner=admin)
    hidden = do_create_repo_group(name="hidden", owner=admin)
    do_set_repo_group_default(hidden, "none")
    client.force_login(admin)
    assert (
        "is a repository group"
        in client.post("/_admin/repos/new", {"name": "team", "kind": "git"}).content.decode()
    )
    client.force_login(make_user())
    answer = client.post("/_admin/repos/new", {"name": "hidden", "kind": "git"}).content.decode()
    assert "is not available" in answer and "repository group" not in answer
    assert not Repository.objects.exists()


def admin_log():
    from lindos.activity.models import ActionLog

    return [
        (a.username, a.action, a.detail, a.address) for a in ActionLog.objects.order_by("created_at", "id")
    ]


def test_the_pages_write_the_admin_log_as_the_api_does(client, make_user, admin):
    ulla = make_user("ulla")
    do_create_user_group(name="devs", owner=admin)
    client.force_login(ulla)
    client.post("/_admin/repo_groups/new", {"name": "corp"})  # refused: no right
    client.force_login(admin)
    client.post("/_admin/repo_groups/new", {"name": "team"})
    client.post(
        "/_admin/repo_groups/team/edit", {"name": "team", "description": "d", "owner": admin.username}
    )
    url = "/_admin/repo_groups/team/permissions"
    client.post(url, {"action": "grant", "username": "nobody", "permission": "read", "recursive": "none"})
    client.post(url, {"action": "grant", "username": "ulla", "permission": "write", "recursive": "none"})
    client.post(url, {"action": "grant", "user_group": "devs", "permission": "read", "recursive": "all"})
    client.post(url, {"action": "default", "default_permission": "none", "recursive": "repos"})
    group = RepoGroup.objects.get(name="team")
    client.post(url, {"action": "revoke_user", "grant": group.user_permissions.get().pk, "recursive": "none"})
    client.post(url, {"action": "revoke_group", "grant": "999999", "recursive": "none"})  # no such grant
    client.post("/_admin/repo_groups/team/delete")
    who = admin.username
    assert admin_log() == [
        (who, "admin_created_repo_group", "team", "127.0.0.1"),
        (who, "admin_updated_repo_group", "team", "127.0.0.1"),
        (
            who,
            "admin_changed_repo_group_permissions",
            "team: user ulla: group.write (recursive:none)",
            "127.0.0.1",
        ),
        (
            who,
            "admin_changed_repo_group_permissions",
            "team: user group devs: group.read (recursive:all)",
            "127.0.0.1",
        ),
        (
            who,
            "admin_changed_repo_group_permissions",
            "team: everyone: group.none (recursive:repos)",
            "127.0.0.1",
        ),
        (who, "admin_revoked_repo_group_permissions", "team: user ulla (recursive:none)", "127.0.0.1"),
        (who, "admin_deleted_repo_group", "team", "127.0.0.1"),
    ]
