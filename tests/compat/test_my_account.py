"""My account > Permissions, My repositories, Watched: the signed-in
user's own, never naming a repository they may not read."""

import re

from lindos.activity.models import UserFollowing
from lindos.repos.actions import do_set_permission


def names(html, table_id):
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/([^"]+)">', table)


def test_my_permissions_lists_only_what_i_may_read(client, site):
    client.force_login(site.ulla)
    page = client.get("/_admin/my_account/perms").content.decode()
    assert names(page, "repository-permissions") == ["team/app"]
    assert "team/secret" not in page
    assert names(page, "group-permissions") == ["team"]
    do_set_permission(site.secret, site.ulla, "write")
    page = client.get("/_admin/my_account/perms").content.decode()
    assert names(page, "repository-permissions") == ["team/app", "team/secret"]
    assert re.search(r"team/secret</a>.*?perm-write\">write</td><td>own grant", page, re.S)


def test_my_permissions_of_the_owner(client, site):
    client.force_login(site.olga)
    page = client.get("/_admin/my_account/perms").content.decode()
    assert names(page, "repository-permissions") == ["team/app", "team/secret"]
    assert "owner" in page


def test_my_repositories_are_the_ones_i_own(client, site, make_repo):
    make_repo("ullas", owner=site.ulla)
    client.force_login(site.ulla)
    page = client.get("/_admin/my_account/repos").content.decode()
    assert names(page, "my-repositories") == ["ullas"]
    client.force_login(site.olga)
    page = client.get("/_admin/my_account/repos").content.decode()
    assert names(page, "my-repositories") == ["team/app", "team/secret"]


def test_watched_hides_a_repository_i_may_no_longer_read(client, site):
    UserFollowing.objects.create(user=site.ulla, follows_repository=site.public)
    UserFollowing.objects.create(user=site.ulla, follows_repository=site.secret)  # followed, then hidden
    UserFollowing.objects.create(user=site.olga, follows_user=site.ulla)
    client.force_login(site.ulla)
    page = client.get("/_admin/my_account/watched").content.decode()
    assert names(page, "my-repositories") == ["team/app"]
    assert "team/secret" not in page
    client.force_login(site.admin)
    assert "You follow no repositories" in client.get("/_admin/my_account/watched").content.decode()


def test_no_way_to_ask_about_someone_else(client, site):
    """The pages take no user: a user id in the query changes nothing."""
    client.force_login(site.ulla)
    page = client.get(f"/_admin/my_account/repos?user_id={site.olga.pk}&username=olga").content.decode()
    assert "team/secret" not in page and "team/app" not in page


def test_post_is_refused(client, site):
    client.force_login(site.ulla)
    assert client.post("/_admin/my_account/perms").status_code == 405
