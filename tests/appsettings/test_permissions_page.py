"""Admin > Permissions: the global switches and what they change."""

from django.core.exceptions import ValidationError

from lindos.appsettings.current import current_app_settings
from lindos.repos.actions import do_fork_repository
from lindos.repos.models import RepoGroup, Repository
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401  (fixtures)

FORM = {
    "anonymous_access": "on",
    "default_repo_permission": "read",
    "default_group_permission": "read",
    "default_user_group_permission": "read",
    "create_repositories": "on",
    "fork_repositories": "on",
    "registration": "manual",
}


def test_admin_only(client, make_user):
    assert client.get("/_admin/permissions").status_code == 302
    client.force_login(make_user())
    assert client.get("/_admin/permissions").status_code == 404


def test_switches_are_saved_and_applied(client, make_user, make_repo):
    admin, user = make_user(admin=True), make_user("ulla")
    public, private = make_repo("pub"), make_repo("priv", private=True)
    make_repo("team/x")
    client.force_login(admin)
    response = client.post(
        "/_admin/permissions",
        {
            **FORM,
            "anonymous_access": "",
            "default_repo_permission": "write",
            "overwrite_repos": "on",
            "default_group_permission": "none",
            "overwrite_groups": "on",
            "create_repositories": "",
            "fork_repositories": "",
            "registration": "disabled",
        },
    )
    assert response.status_code == 302
    snapshot = current_app_settings()
    assert (snapshot.anonymous_access, snapshot.create_repositories, snapshot.fork_repositories) == (
        False,
        False,
        False,
    )
    assert snapshot.registration == "disabled"
    assert Repository.objects.get(pk=public.pk).default_permission == "write"
    assert Repository.objects.get(pk=private.pk).default_permission == "none"
    assert RepoGroup.objects.get(name="team").default_permission == "none"
    # who may create and fork
    client.force_login(user)
    refused = client.post("/_admin/repos/new", {"name": "top", "kind": "git"})
    assert "You may not create repositories at the top level" in refused.content.decode()
    try:
        do_fork_repository(public, name="ulla/pub", owner=user, actor=user)
    except ValidationError as exc:
        assert "You may not fork" in str(exc)
    else:
        raise AssertionError("the fork was allowed")
    assert (
        client.post("/_admin/repos/new", {"name": "ulla/mine", "kind": "git"}).status_code == 302
    )  # own namespace


def test_bad_choices_are_refused(client, make_user):
    client.force_login(make_user(admin=True))
    response = client.post("/_admin/permissions", {**FORM, "default_repo_permission": "root"})
    assert response.status_code == 200 and current_app_settings().default_repo_permission == "read"


def test_default_user_group_permission_for_new_and_existing_groups(client, make_user):
    from lindos.accounts.models import UserGroup
    from lindos.accounts.user_groups import do_create_user_group
    from lindos.repos.permissions import user_group_permission_for

    admin, owner, ulla = make_user(admin=True), make_user("olga"), make_user("ulla")
    old = do_create_user_group(name="old", owner=owner)
    assert old.default_permission == "read"  # Kallithea's default: everyone sees a group
    client.force_login(admin)
    page = client.get("/_admin/permissions").content.decode()
    assert 'name="default_user_group_permission"' in page and 'name="overwrite_user_groups"' in page
    client.post("/_admin/permissions", {**FORM, "default_user_group_permission": "none"})
    assert current_app_settings().default_user_group_permission == "none"
    assert UserGroup.objects.get(pk=old.pk).default_permission == "read"  # not applied: unchanged
    new = do_create_user_group(name="new", owner=owner)
    assert new.default_permission == "none" and user_group_permission_for(ulla, new) == "none"
    client.post(
        "/_admin/permissions",
        {**FORM, "default_user_group_permission": "admin", "overwrite_user_groups": "on"},
    )
    assert set(UserGroup.objects.values_list("default_permission", flat=True)) == {"admin"}
    assert user_group_permission_for(ulla, UserGroup.objects.get(name="old")) == "admin"
    bad = client.post("/_admin/permissions", {**FORM, "default_user_group_permission": "owner"})
    assert bad.status_code == 200 and current_app_settings().default_user_group_permission == "admin"
