"""Who may do what with a user group (Kallithea's ``usergroup.*``): one
table of effective permissions, checked in process and on the pages (the
API's side is ``tests/api/test_user_group_permissions.py``), then the abuse
cases: forged POSTs by a read-only user, hidden groups in listings and
pickers, markup in names, tampered ids."""

import pytest

from lindos.accounts.models import UserGroup, UserGroupPermission, UserGroupUserGroupPermission
from lindos.accounts.user_groups import (
    do_add_member,
    do_create_user_group,
    do_set_user_group_default,
    do_set_user_group_grant,
    readable_user_groups,
    visible_user_groups,
)
from lindos.repos.models import RepositoryUserGroupPermission
from lindos.repos.permissions import explain_user_group, user_group_permission_for
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401  (fixtures)

#: (user, group) -> what Kallithea 0.7's AuthUser gives (plus Lindos's owner rule).
TABLE = {
    ("root", "team"): ("admin", "site admin"),
    ("olga", "team"): ("admin", "owner"),
    ("eve", "team"): ("none", "default"),  # team's default is none
    ("eve", "open"): ("read", "default"),  # open's default is read
    ("rita", "team"): ("read", "own grant"),
    ("walt", "team"): ("write", "own grant"),
    ("adam", "team"): ("admin", "own grant"),
    ("mona", "team"): ("admin", "user group helpers"),
    ("ivan", "team"): ("none", "default"),  # sleepers' admin: the group is inactive
    ("gabe", "team"): ("write", "user group writers"),  # own read, his group's write: the strongest
    ("nora", "open"): ("read", "default"),  # an own "none" takes nothing away
}


def build_world(make_user):
    """The users and groups of ``TABLE``; returns ``{name: object}``."""
    w = {"root": make_user("root", admin=True)}
    for name in ("olga", "eve", "rita", "walt", "adam", "mona", "ivan", "gabe", "nora"):
        w[name] = make_user(name)
    olga = w["olga"]
    w["team"] = do_create_user_group(name="team", owner=olga, description="<i>the team</i>")
    do_set_user_group_default(w["team"], "none")
    w["open"] = do_create_user_group(name="open", owner=olga)  # default read (Kallithea's)
    w["helpers"] = do_create_user_group(name="helpers", owner=olga)
    w["sleepers"] = do_create_user_group(name="sleepers", owner=olga, active=False)
    w["writers"] = do_create_user_group(name="writers", owner=olga)
    do_add_member(w["helpers"], w["mona"])
    do_add_member(w["sleepers"], w["ivan"])
    do_add_member(w["writers"], w["gabe"])
    team = w["team"]
    do_set_user_group_grant(team, "read", user=w["rita"])
    do_set_user_group_grant(team, "write", user=w["walt"])
    do_set_user_group_grant(team, "admin", user=w["adam"])
    do_set_user_group_grant(team, "read", user=w["gabe"])
    do_set_user_group_grant(team, "admin", user_group=w["helpers"])
    do_set_user_group_grant(team, "admin", user_group=w["sleepers"])
    do_set_user_group_grant(team, "write", user_group=w["writers"])
    do_set_user_group_grant(w["open"], "none", user=w["nora"])
    return w


@pytest.fixture
def world(make_user):
    return build_world(make_user)


def test_the_table_in_process(world):
    for (who, group), (level, source) in TABLE.items():
        user, target = world[who], world[group]
        assert (who, group, explain_user_group(user, target).permission) == (who, group, level)
        assert explain_user_group(user, target).source == source
        readable = set(readable_user_groups(user).values_list("name", flat=True))
        managed = set(visible_user_groups(user).values_list("name", flat=True))
        assert (group in readable) == (level != "none"), (who, group)
        assert (group in managed) == (level == "admin"), (who, group)


def test_anonymous_and_inactive_accounts_get_nothing(world, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert user_group_permission_for(AnonymousUser(), world["open"]) == "none"
    assert not readable_user_groups(AnonymousUser()).exists()
    gone = make_user("gone", active=False)
    do_set_user_group_grant(world["team"], "admin", user=gone)
    assert user_group_permission_for(gone, world["team"]) == "none"


def _status(client, url):
    return client.get(url).status_code


def test_the_table_on_the_pages(client, world, make_repo):
    for (who, group), (level, _) in TABLE.items():
        client.force_login(world[who])
        pk = world[group].pk
        expected = {"none": 404, "read": 403, "write": 403, "admin": 200}[level]
        assert (who, group, _status(client, f"/_admin/user_groups/{pk}/edit")) == (who, group, expected)
        assert _status(client, f"/_admin/user_groups/{pk}/edit/perms") == expected
        listed = f">{group}</a>" in client.get("/_admin/user_groups").content.decode()
        assert listed == (level == "admin"), (who, group)
        # The picker of a repository they administer offers the groups they may read.
        repo = make_repo(f"{who}-{group}", owner=world[who])
        page = client.get(f"/{repo.name}/settings/permissions").content.decode()
        assert (f'<option value="{group}">' in page) == (level != "none"), (who, group)
        client.post(
            f"/{repo.name}/settings/permissions",
            {"action": "grant_group", "user_group": group.upper(), "permission": "read"},
        )
        granted = RepositoryUserGroupPermission.objects.filter(repository=repo, user_group=world[group])
        assert granted.exists() == (level != "none"), (who, group)


def test_a_delegated_admin_manages_members_and_permissions(client, world):
    team, adam, eve = world["team"], world["adam"], world["eve"]
    client.force_login(adam)  # admin through his own grant, not the owner
    edit, perms = f"/_admin/user_groups/{team.pk}/edit", f"/_admin/user_groups/{team.pk}/edit/perms"
    client.post(edit, {"action": "add_member", "username": "eve"})
    assert list(team.members.all()) == [eve]
    page = client.get(perms).content.decode()
    assert "rita" in page and "helpers" in page and 'list="user-group-choices"' in page
    assert (
        client.post(perms, {"action": "grant", "username": "eve", "permission": "write"}).status_code == 302
    )
    assert user_group_permission_for(eve, team) == "write"
    client.post(perms, {"action": "default", "default_permission": "read"})
    assert UserGroup.objects.get(pk=team.pk).default_permission == "read"
    # Taking his own admin away sends him back to the list.
    grant = UserGroupPermission.objects.get(target_user_group=team, user=adam)
    response = client.post(perms, {"action": "revoke_user", "grant": grant.pk})
    assert response.status_code == 302 and response["Location"] == "/_admin/user_groups"
    assert client.get(edit).status_code == 403  # read now, through the default
    # He could still name the group in a grant but no longer manage it.


def test_a_read_only_user_cannot_change_anything_by_forged_posts(client, world):
    team, rita, eve = world["team"], world["rita"], world["eve"]
    before = (
        sorted(team.members.values_list("pk", flat=True)),
        sorted(UserGroupPermission.objects.values_list("pk", "permission")),
        sorted(UserGroupUserGroupPermission.objects.values_list("pk", "permission")),
        list(UserGroup.objects.values_list("pk", "name", "active", "owner_id", "default_permission")),
    )
    edit, perms = f"/_admin/user_groups/{team.pk}/edit", f"/_admin/user_groups/{team.pk}/edit/perms"
    client.force_login(rita)
    rita_grant = UserGroupPermission.objects.get(target_user_group=team, user=rita)
    helpers_grant = UserGroupUserGroupPermission.objects.get(
        target_user_group=team, user_group=world["helpers"]
    )
    forged = [
        (edit, {"action": "add_member", "username": "rita"}),
        (edit, {"action": "remove_member", "member": world["mona"].pk}),
        (edit, {"action": "settings", "name": "mine", "description": "", "active": ""}),
        (edit, {"action": "owner", "owner": "rita"}),
        (edit, {"action": "rights", "rights": ["create_repository"]}),
        (perms, {"action": "grant", "username": "rita", "permission": "admin"}),
        (perms, {"action": "grant", "user_group": "writers", "permission": "admin"}),
        (perms, {"action": "default", "default_permission": "admin"}),
        (perms, {"action": "revoke_user", "grant": rita_grant.pk}),
        (perms, {"action": "revoke_group", "grant": helpers_grant.pk}),
        (f"/_admin/user_groups/{team.pk}/delete", {}),
    ]
    for url, data in forged:
        assert client.post(url, data).status_code == 403, data
    # eve may not even read it: the same requests answer as for no group at all.
    client.force_login(eve)
    for url, data in forged:
        assert client.post(url, data).status_code == 404, data
    after = (
        sorted(team.members.values_list("pk", flat=True)),
        sorted(UserGroupPermission.objects.values_list("pk", "permission")),
        sorted(UserGroupUserGroupPermission.objects.values_list("pk", "permission")),
        list(UserGroup.objects.values_list("pk", "name", "active", "owner_id", "default_permission")),
    )
    assert after == before
    assert not rita.global_permission_grants.exists()


def test_hidden_groups_are_absent_from_pickers_and_refused_by_name(client, world, make_repo):
    from lindos.repos.group_actions import do_create_repo_group

    eve = world["eve"]
    client.force_login(eve)
    repo = make_repo("eves", owner=eve)
    repo_group = do_create_repo_group(name="eve-group", owner=eve)
    for url, data in [
        (
            f"/{repo.name}/settings/permissions",
            {"action": "grant_group", "user_group": "team", "permission": "read"},
        ),
        (
            f"/_admin/repo_groups/{repo_group.name}/permissions",
            {"action": "grant", "user_group": "team", "permission": "read", "recursive": "none"},
        ),
        (
            f"/_admin/user_groups/{world['open'].pk}/edit/perms",
            {"action": "grant", "user_group": "team", "permission": "read"},
        ),
    ]:
        page = client.get(url)
        if url.startswith("/_admin/user_groups"):
            assert page.status_code == 403  # eve only reads "open"
            continue
        text = page.content.decode()
        assert 'value="open"' in text and 'value="team"' not in text and "sleepers" not in text
        refused = client.post(url, data).content.decode()
        # The same words as for a group that does not exist.
        assert "There is no active user group &#x27;team&#x27;." in refused
        nothing = client.post(url, {**data, "user_group": "no-such-group"}).content.decode()
        assert "There is no active user group &#x27;no-such-group&#x27;." in nothing
    assert not RepositoryUserGroupPermission.objects.filter(user_group=world["team"]).exists()
    assert not world["team"].repo_group_permissions.exists()
    # Its owner's list shows it; eve's does not, even by a guessed id.
    assert "team" not in client.get("/_admin/user_groups").content.decode()
    assert client.get(f"/_admin/user_groups/{world['team'].pk}/edit/perms").status_code == 404


def test_markup_tampered_ids_and_odd_input(client, world):
    team, olga = world["team"], world["olga"]
    perms = f"/_admin/user_groups/{team.pk}/edit/perms"
    client.force_login(olga)
    page = client.post(
        perms, {"action": "grant", "user_group": "<script>alert(1)</script>", "permission": "read"}
    ).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = client.post(
        perms, {"action": "grant", "username": "<b>x</b>", "permission": "read"}
    ).content.decode()
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    # A group on itself is refused with words, not a 500.
    page = client.post(perms, {"action": "grant", "user_group": "team", "permission": "admin"})
    assert page.status_code == 200 and "cannot be given a permission on itself" in page.content.decode()
    assert not UserGroupUserGroupPermission.objects.filter(target_user_group=team, user_group=team).exists()
    # Both a user and a group, neither, a made-up level.
    for data in (
        {"action": "grant", "username": "eve", "user_group": "open", "permission": "read"},
        {"action": "grant", "permission": "read"},
        {"action": "grant", "username": "eve", "permission": "owner"},
        {"action": "default", "default_permission": "root"},
    ):
        assert client.post(perms, data).status_code == 200
    assert UserGroup.objects.get(pk=team.pk).default_permission == "none"
    # Tampered grant ids: not numbers, another group's grant, huge.
    other = UserGroupPermission.objects.create(
        target_user_group=world["open"], user=world["eve"], permission="admin"
    )
    count = UserGroupPermission.objects.count()
    for grant in ("abc", "١٢", str(other.pk), "9" * 30, ""):
        assert client.post(perms, {"action": "revoke_user", "grant": grant}).status_code == 302
        assert client.post(perms, {"action": "revoke_group", "grant": grant}).status_code == 302
    assert UserGroupPermission.objects.count() == count
    # Ids past what the database holds are "no such group", not a 500.
    for url in (
        "/_admin/user_groups/99999999999999999999999/edit/perms",
        "/_admin/user_groups/99999999999999999999999/edit",
    ):
        assert client.get(url).status_code == 404
    # A description with markup is shown as text in the list.
    listing = client.get("/_admin/user_groups").content.decode()
    assert "<i>the team</i>" not in listing and "&lt;i&gt;the team&lt;/i&gt;" in listing


def test_new_groups_take_the_site_default_and_the_creator_manages_them(client, make_user):
    from lindos.appsettings.current import save_app_settings

    save_app_settings(default_user_group_permission="none", create_user_groups=True)
    ulla, eve = make_user("ulla"), make_user("eve")
    client.force_login(ulla)
    client.post("/_admin/user_groups/new", {"name": "ullas", "description": "", "active": "on"})
    group = UserGroup.objects.get(name="ullas")
    assert group.default_permission == "none"
    assert (
        user_group_permission_for(ulla, group) == "admin" and user_group_permission_for(eve, group) == "none"
    )
    # Handing the group to someone else ends the old owner's admin.
    client.post(f"/_admin/user_groups/{group.pk}/edit", {"action": "owner", "owner": "eve"})
    group.refresh_from_db()
    assert group.owner == eve and user_group_permission_for(ulla, group) == "none"
    assert client.get(f"/_admin/user_groups/{group.pk}/edit").status_code == 404


def test_the_table_on_the_admin_s_permissions_page_of_each_user(client, world):
    import re

    client.force_login(world["root"])
    for (who, group), (level, source) in TABLE.items():
        page = client.get(f"/_admin/users/{world[who].pk}/permissions").content.decode()
        table = page.split('id="user-group-permissions"')[1].split("</table>")[0]
        row = re.search(rf">{group}</a>.*?</tr>", table, re.S).group(0)
        assert f'class="perm-{level}">{level}</td><td>{source}</td>' in row, (who, group, row)
