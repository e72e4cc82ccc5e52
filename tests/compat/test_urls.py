"""Every Kallithea 0.7 page URL, requested as an admin, a plain user, the
repository's owner and an anonymous visitor: nothing is a 500, a Kallithea
URL Lindos supports is never a bare 404, every redirect lands on a page,
and whoever may not open the Kallithea page gets exactly the answer of the
Lindos page with the same rule."""

import pytest

from tests.compat.conftest import Site

# (Kallithea URL, the existing Lindos page with the same access rule, what
# the privileged role gets: "page" (200), "moved" (301 to a 200), "absent"
# (the "not in Lindos" 404), "json"). {u}: a user id, {g}: a user group id.
ADMIN = [
    ("/_admin/users/{u}", "/_admin/settings", "moved"),
    ("/_admin/users/{u}/edit/advanced", "/_admin/settings", "moved"),
    ("/_admin/users/{u}/edit/permissions", "/_admin/settings", "moved"),
    ("/_admin/users/{u}/edit/emails", "/_admin/settings", "absent"),
    ("/_admin/permissions/perms", "/_admin/settings", "moved"),
    ("/_admin/defaults", "/_admin/settings", "absent"),
    ("/_admin/settings/global", "/_admin/settings", "moved"),
    ("/_admin/settings/visual", "/_admin/settings", "moved"),
    ("/_admin/settings/mapping", "/_admin/settings", "page"),
    ("/_admin/settings/system", "/_admin/settings", "page"),
    ("/_admin/settings/hooks", "/_admin/settings", "absent"),
    ("/_admin/settings/search", "/_admin/settings", "absent"),
    ("/_admin/add_repo/newname", "/_admin/settings", "moved"),
]
# Pages of the user groups: for admins and the group's owner (olga).
GROUP_OWNER = [
    ("/_admin/user_groups/{g}", "/_admin/user_groups/{g}/edit", "moved"),
    ("/_admin/user_groups/{g}/edit/members", "/_admin/user_groups/{g}/edit", "moved"),
    ("/_admin/user_groups/{g}/edit/advanced", "/_admin/user_groups/{g}/edit", "moved"),
]
SIGNED_IN = [
    ("/_admin/create_repository", "/_admin/repos/new", "moved"),
    ("/_admin/my_account/password", "/_admin/my_account", "moved"),
    ("/_admin/my_account/perms", "/_admin/my_account", "page"),
    ("/_admin/my_account/repos", "/_admin/my_account", "page"),
    ("/_admin/my_account/watched", "/_admin/my_account", "page"),
    ("/_admin/my_account/emails", "/_admin/my_account", "absent"),
    ("/_users_and_groups?query=ul", "/_admin/my_account", "json"),
    ("/team/app/repo_size", "/_admin/my_account", "json"),
    ("/team/app/repo_check_creating", "/_admin/my_account", "json"),
]
# A repository's settings: its admins (olga, the site admin); readers get 403.
REPO_ADMIN = [
    ("/team/app/settings/advanced", "/team/app/settings", "moved"),
    ("/team/app/settings/fields", "/team/app/settings", "absent"),
    ("/team/app/settings/remote", "/team/app/settings", "absent"),
    ("/_admin/repos/team/app", "/team/app/settings", "moved"),
]
GROUP_ADMIN = [
    ("/_admin/repo_groups/team/edit/advanced", "/_admin/repo_groups/team/edit", "moved"),
    ("/_admin/repo_groups/team/edit/permissions", "/_admin/repo_groups/team/edit", "moved"),
]
PUBLIC = [
    ("/about", "/", "page"),
    ("/_admin/about", "/", "moved"),
    ("/_repos", "/", "json"),
    ("/_admin/_repos", "/", "moved"),
    ("/_admin/repos", "/", "moved"),
    ("/_admin/repo_groups/team", "/", "moved"),
    ("/_admin/search/team/app", "/", "moved"),
    ("/_admin/password_reset_confirmation?email=a@b&token=x", "/", "moved"),
    ("/team/app/refs-data", "/team/app", "json"),
    ("/changeset_info/team/app/{c}", "/team/app", "json"),
    ("/_admin/changeset_info/team/app/{c}", "/team/app", "moved"),
    ("/team/app/changeset_info/{c}", "/team/app", "moved"),
    ("/team/app/changelog_details/{c}", "/team/app", "moved"),
    ("/team/app/repo_creating", "/team/app", "moved"),
]
TABLE = (
    [(u, r, k, "admin") for u, r, k in ADMIN]
    + [(u, r, k, "group_owner") for u, r, k in GROUP_OWNER]
    + [(u, r, k, "signed_in") for u, r, k in SIGNED_IN]
    + [(u, r, k, "repo_admin") for u, r, k in REPO_ADMIN]
    + [(u, r, k, "repo_admin") for u, r, k in GROUP_ADMIN]
    + [(u, r, k, "public") for u, r, k in PUBLIC]
)
# Who may open the page, by rule.
ALLOWED = {
    "admin": {"admin"},
    "group_owner": {"admin", "olga"},
    "signed_in": {"admin", "olga", "ulla"},
    "repo_admin": {"admin", "olga"},
    "public": {"admin", "olga", "ulla", "anonymous"},
}


def final(client, url):
    """Follow redirects; answer the last response and the redirect chain."""
    response = client.get(url, follow=True)
    return response, response.redirect_chain


def login_as(client, site: Site, role: str):
    client.logout()
    if role != "anonymous":
        client.force_login({"admin": site.admin, "olga": site.olga, "ulla": site.ulla}[role])


@pytest.mark.parametrize("role", ["admin", "olga", "ulla", "anonymous"])
@pytest.mark.parametrize(("url", "reference", "kind", "rule"), TABLE, ids=[row[0] for row in TABLE])
def test_kallithea_url(client, site, role, url, reference, kind, rule):
    fill = {"u": site.ulla.pk, "g": site.user_group.pk, "c": site.commits[0]}
    url, reference = url.format(**fill), reference.format(**fill)
    login_as(client, site, role)
    first = client.get(url)
    assert first.status_code != 500
    response, chain = final(client, url)
    assert response.status_code != 500
    if role in ALLOWED[rule]:
        if kind == "moved":
            assert first.status_code == 301, first.status_code
            assert response.status_code == 200, (chain, response.status_code)
        elif kind == "absent":
            assert response.status_code == 404
            assert b'id="not-in-lindos"' in response.content
        else:
            assert response.status_code == 200, response.status_code
            if kind == "json":
                assert response["Content-Type"] == "application/json"
    else:
        expected, expected_chain = final(client, reference)
        assert response.status_code == expected.status_code
        assert b"not-in-lindos" not in response.content
        if expected_chain:  # sent to log in, as the reference page sends them
            assert chain[-1][0].split("?")[0] == expected_chain[-1][0].split("?")[0]


def test_admin_pages_refuse_as_the_existing_ones(client, site):
    """The rule the table checks, spelt out: a plain user gets the 404 of
    Admin > Settings, an anonymous visitor the login page."""
    client.force_login(site.ulla)
    assert client.get("/_admin/settings").status_code == 404
    assert client.get("/_admin/settings/system").status_code == 404
    assert client.get("/_admin/defaults").status_code == 404
    client.logout()
    assert client.get("/_admin/settings/system")["Location"].startswith("/_admin/login?next=")
