"""Admin > Users > USER > Permissions: each repository's effective
permission and where it comes from."""

import re

from lindos.accounts.user_groups import do_add_member, do_create_user_group
from lindos.repos.actions import do_set_permission, do_set_user_group_permission
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401  (fixtures)


def rows(html):
    table = html.split('id="repository-permissions"', 1)[1].split("</table>", 1)[0]
    found = {}
    for name, perm, source in re.findall(
        r'<a href="/([^"]+)">.*?</a>.*?<td[^>]*>(\w+)</td><td>([^<]+)</td>', table
    ):
        found[name] = (perm, source)
    return found


def test_page_explains_each_repository(client, make_user, make_repo):
    admin, ulla, olga = make_user("root", admin=True), make_user("ulla"), make_user("olga")
    devs = do_create_user_group(name="devs", owner=admin)
    do_add_member(devs, ulla)
    mine = make_repo("mine", owner=ulla)
    public = make_repo("public", owner=olga)
    private = make_repo("hidden", owner=olga, private=True)
    via_group = make_repo("team/app", owner=olga, private=True)
    do_set_user_group_permission(via_group, devs, "write")
    do_set_permission(private, ulla, "read")
    client.force_login(admin)
    page = client.get(f"/_admin/users/{ulla.pk}/permissions")
    assert page.status_code == 200
    assert rows(page.content.decode()) == {
        mine.name: ("admin", "owner"),
        public.name: ("read", "default"),
        private.name: ("read", "own grant"),
        via_group.name: ("write", "user group devs"),
    }
    client.post(f"/_admin/users/{ulla.pk}/permissions", {"rights": ["create_repo_group"]})
    assert ulla.global_permission_grants.get().permission == "create_repo_group"


def test_page_is_for_admins_only(client, make_user):
    ulla = make_user("ulla")
    client.force_login(make_user())
    assert client.get(f"/_admin/users/{ulla.pk}/permissions").status_code == 404
    client.logout()
    assert client.get(f"/_admin/users/{ulla.pk}/permissions").status_code == 302
