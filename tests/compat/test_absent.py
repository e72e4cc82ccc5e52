"""Kallithea features Lindos does not have: a 404 that says so, to those
who could have opened the Kallithea page; others get the usual answer."""

import pytest


@pytest.mark.parametrize(
    ("url", "words", "nearest"),
    [
        ("/_admin/settings/hooks", "Custom hooks: not in Lindos", None),
        ("/_admin/settings/search", "lindos search-reindex", "/_admin/search"),
        ("/_admin/defaults", "Repository defaults: not in Lindos", "/_admin/settings"),
        ("/_admin/users/{u}/edit/emails", "one email address", "/_admin/users/{u}/edit"),
    ],
)
def test_admin_absences(client, site, url, words, nearest):
    url = url.format(u=site.ulla.pk)
    client.force_login(site.admin)
    response = client.get(url)
    assert response.status_code == 404
    assert words in response.content.decode()
    if nearest:
        assert f'href="{nearest.format(u=site.ulla.pk)}"' in response.content.decode()


def test_another_users_emails_of_a_missing_user(client, site):
    client.force_login(site.admin)
    response = client.get("/_admin/users/999999/edit/emails")
    assert response.status_code == 404
    assert b"not-in-lindos" not in response.content


def test_my_emails(client, site):
    client.force_login(site.ulla)
    response = client.get("/_admin/my_account/emails")
    assert response.status_code == 404
    assert b"one email address per account" in response.content


@pytest.mark.parametrize("page", ["fields", "remote"])
def test_repository_settings_absences(client, site, page):
    client.force_login(site.olga)
    response = client.get(f"/team/secret/settings/{page}")
    assert response.status_code == 404
    assert b'href="/team/secret/settings"' in response.content
    client.force_login(site.ulla)
    hidden = client.get(f"/team/secret/settings/{page}")
    assert hidden.status_code == 404 and b"not-in-lindos" not in hidden.content
    assert client.get(f"/team/app/settings/{page}").status_code == 403  # a reader, as /settings
