"""User groups (``/_admin/user_groups``): create, rename, activate, members,
owner, site-wide rights, delete; another user's hidden group is a 404; odd
names. Who may do what with a group: ``test_user_group_permissions``."""

import pytest
from django.core.exceptions import ValidationError

from lindos.accounts.models import UserGroup
from lindos.accounts.user_groups import do_add_member, do_create_user_group, do_set_user_group_default
from lindos.appsettings.current import save_app_settings
from lindos.repos.permissions import has_global_permission
from tests.repos.fixtures import make_user  # noqa: F401  (a fixture)


def test_admin_manages_a_group(client, make_user):
    admin, ulla = make_user("root", admin=True), make_user("ulla")
    client.force_login(admin)
    response = client.post(
        "/_admin/user_groups/new", {"name": "devs", "description": "Developers", "active": "on"}
    )
    group = UserGroup.objects.get(name="devs")
    assert response.status_code == 302 and response["Location"] == f"/_admin/user_groups/{group.pk}/edit"
    edit = f"/_admin/user_groups/{group.pk}/edit"
    client.post(edit, {"action": "add_member", "username": "ULLA"})
    assert list(group.members.all()) == [ulla]
    client.post(edit, {"action": "settings", "name": "developers", "description": "", "active": ""})
    group.refresh_from_db()
    assert (group.name, group.active) == ("developers", False)
    client.post(edit, {"action": "owner", "owner": "ulla"})
    group.refresh_from_db()
    assert group.owner == ulla
    client.post(edit, {"action": "rights", "rights": ["create_repo_group"]})
    assert has_global_permission(ulla, "create_repo_group") is False  # the group is inactive
    client.post(edit, {"action": "settings", "name": "developers", "description": "", "active": "on"})
    assert has_global_permission(ulla, "create_repo_group") is True
    client.post(edit, {"action": "remove_member", "member": ulla.pk})
    assert not group.members.exists()
    page = client.get("/_admin/user_groups").content.decode()
    assert "developers" in page
    client.post(f"/_admin/user_groups/{group.pk}/delete")
    assert not UserGroup.objects.exists()


def test_other_users_groups_are_404(client, make_user):
    owner, stranger = make_user("olga"), make_user("otto")
    group = do_create_user_group(name="secret-team", owner=owner)
    do_set_user_group_default(group, "none")  # hidden from everyone but its owner
    client.force_login(stranger)
    assert client.get(f"/_admin/user_groups/{group.pk}/edit").status_code == 404
    assert client.get("/_admin/user_groups/999999/edit").status_code == 404
    assert client.post(f"/_admin/user_groups/{group.pk}/delete").status_code == 404
    assert (
        client.post(
            f"/_admin/user_groups/{group.pk}/edit", {"action": "add_member", "username": "otto"}
        ).status_code
        == 404
    )
    assert "secret-team" not in client.get("/_admin/user_groups").content.decode()
    assert not group.members.exists()
    # creating needs the right; the owner may manage, but not hand out site-wide rights
    assert client.get("/_admin/user_groups/new").status_code == 404
    client.force_login(owner)
    page = client.get(f"/_admin/user_groups/{group.pk}/edit")
    assert page.status_code == 200 and 'value="rights"' not in page.content.decode()
    client.post(f"/_admin/user_groups/{group.pk}/edit", {"action": "rights", "rights": ["create_repo_group"]})
    assert not group.global_permission_grants.exists()


def test_create_user_groups_right(client, make_user):
    user = make_user("ulla")
    with pytest.raises(ValidationError):
        do_create_user_group(name="x", owner=user, actor=user)
    save_app_settings(create_user_groups=True)
    client.force_login(user)
    assert client.post("/_admin/user_groups/new", {"name": "mine", "active": "on"}).status_code == 302
    assert UserGroup.objects.get(name="mine").owner == user


@pytest.mark.parametrize(
    "name", ["", "-lead", "a/b", "<b>x</b>", "a\x00b", "x" * 101, "a b", "../x", "taken", "TAKEN"]
)
def test_odd_or_used_names_are_refused(client, make_user, name):
    admin = make_user(admin=True)
    do_create_user_group(name="taken", owner=admin)
    client.force_login(admin)
    response = client.post("/_admin/user_groups/new", {"name": name, "active": "on"})
    assert response.status_code == 200
    assert UserGroup.objects.count() == 1


def test_renaming_onto_a_used_name_is_refused(client, make_user):
    admin = make_user(admin=True)
    do_create_user_group(name="one", owner=admin)
    two = do_create_user_group(name="two", owner=admin)
    client.force_login(admin)
    response = client.post(
        f"/_admin/user_groups/{two.pk}/edit", {"action": "settings", "name": "One", "active": "on"}
    )
    assert "not available" in response.content.decode()
    two.refresh_from_db()
    assert two.name == "two"


def test_tampered_member_id_is_not_a_500(client, make_user):
    admin = make_user(admin=True)
    group = do_create_user_group(name="g", owner=admin)
    do_add_member(group, admin)
    client.force_login(admin)
    for value in ["x", "", "99999999999999999999", "١"]:
        assert (
            client.post(
                f"/_admin/user_groups/{group.pk}/edit", {"action": "remove_member", "member": value}
            ).status_code
            == 302
        )
    assert group.members.count() == 1


def test_the_pages_write_the_admin_log_as_the_api_does(client, make_user):
    from lindos.activity.models import ActionLog

    admin, ulla, otto = make_user("root", admin=True), make_user("ulla"), make_user("otto")
    client.force_login(admin)
    client.post("/_admin/user_groups/new", {"name": "devs", "description": "", "active": "on"})
    group = UserGroup.objects.get(name="devs")
    edit = f"/_admin/user_groups/{group.pk}/edit"
    client.post(edit, {"action": "add_member", "username": "ulla"})
    client.post(edit, {"action": "add_member", "username": "nobody"})  # refused: no line
    client.post(edit, {"action": "settings", "name": "developers", "description": "", "active": "on"})
    client.post(
        edit, {"action": "settings", "name": "bad name!", "description": "", "active": "on"}
    )  # refused
    client.post(edit, {"action": "remove_member", "member": ulla.pk})
    client.force_login(otto)
    client.post(f"/_admin/user_groups/{group.pk}/delete")  # 404: no line
    client.force_login(admin)
    client.post(f"/_admin/user_groups/{group.pk}/delete")
    lines = [
        (a.username, a.action, a.detail, a.address) for a in ActionLog.objects.order_by("created_at", "id")
    ]
    assert lines == [
        ("root", "admin_created_users_group", "devs", "127.0.0.1"),
        ("root", "admin_updated_users_group", "devs: added ulla", "127.0.0.1"),
        ("root", "admin_updated_users_group", "developers", "127.0.0.1"),
        ("root", "admin_updated_users_group", "developers: removed ulla", "127.0.0.1"),
        ("root", "admin_deleted_users_group", "developers", "127.0.0.1"),
    ]
