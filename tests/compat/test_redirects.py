"""The 301s from Kallithea's URLs: same-site targets only, query strings
kept, odd names refused without a 500."""

import pytest

from lindos.compat.redirects import build_local_target


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/team/app/settings", "", "/team/app/settings"),
        ("/team/app/settings", "a=1&b=%2F", "/team/app/settings?a=1&b=%2F"),
        ("/a b/ü", "", "/a%20b/%C3%BC"),
        ("//evil.example", "", None),
        ("/\\evil.example", "", None),
        ("https://evil.example/", "", None),
        ("evil.example", "", None),
        ("/a\x00b", "", None),
        ("/a\nLocation: x", "", None),
    ],
)
def test_build_local_target(path, query, expected):
    assert build_local_target(path, query) == expected


def test_query_string_is_kept(client, db):
    response = client.get("/_admin/repos?page=2&sort=name")
    assert response.status_code == 301
    assert response["Location"] == "/?page=2&sort=name"


def test_reset_link_drops_kallithea_token(client, db):
    response = client.get("/_admin/password_reset_confirmation?email=a@example.com&token=abc")
    assert response["Location"] == "/_admin/password_reset"


@pytest.mark.parametrize(
    "url",
    [
        "/_admin/repo_groups//evil.example",
        "/_admin/repo_groups/%2Fevil.example",
        "/_admin/repos//evil.example",
        "/_admin/repos/%2F%2Fevil.example",
        "/_admin/repos/%5Cevil.example",
        "/_admin/search//evil.example",
        "/_admin/search/%2F%2Fevil.example",
        "/_admin/search/%5C%5Cevil.example",
        "/_admin/repos/a%00b",
        "/_admin/repo_groups/a%00b",
        "/a%00b/settings/advanced",
        "/a%00b/changelog_details/abc",
        "/_admin/changeset_info/a%00b/abc",
        "/_admin/users/1%00/edit/advanced",
    ],
)
def test_no_open_redirect_and_no_500(client, db, url):
    response = client.get(url)
    assert response.status_code in (301, 302, 404)
    if response.status_code in (301, 302):
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location
        assert "evil.example" not in location.split("?")[0].split("/")[1]


def test_lindos_creation_pages_are_not_taken_for_names(client, site):
    client.force_login(site.admin)
    assert client.get("/_admin/repos/new").status_code == 200
    assert client.get("/_admin/repo_groups/new").status_code == 200


def test_post_to_a_moved_page_is_refused_not_lost(client, site):
    """A 301 would turn the POST into a GET and drop the form."""
    client.force_login(site.admin)
    assert client.post("/_admin/settings/global", {"title": "x"}).status_code == 405


def test_redirect_is_the_same_for_a_private_name(client, site):
    """The redirect does not look the name up, so it tells nothing; the
    target page then answers 404 to whoever may not read it."""
    client.force_login(site.ulla)
    hidden = client.get("/_admin/repos/team/secret")
    missing = client.get("/_admin/repos/team/nothing")
    assert hidden.status_code == missing.status_code == 301
    assert client.get(hidden["Location"]).status_code == client.get(missing["Location"]).status_code == 404
