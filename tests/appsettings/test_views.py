"""Admin > Settings (/_admin/settings): the settings kept in the database take
effect at once in this process."""

from lindos.appsettings.models import AppSettings
from tests.accounts.conftest import admin, admin_client, make_user, text  # noqa: F401  (fixtures)


def test_settings_page_changes_title_and_registration(admin_client, client):
    page = admin_client.get("/_admin/settings")
    assert page.status_code == 200
    assert "Registration with manual account activation" in text(page)
    response = admin_client.post(
        "/_admin/settings",
        {"title": "Acme Code", "registration": "disabled", "default_repo_permission": "none"},
        follow=True,
    )
    assert "Settings saved." in text(response)
    assert response.content.decode().count("Acme Code") >= 2  # <title> and the header
    row = AppSettings.objects.get(pk=1)
    assert (row.title, row.registration, row.default_repo_permission) == ("Acme Code", "disabled", "none")
    anonymous = type(client)()
    assert anonymous.get("/_admin/register").status_code == 404
    assert ">Register<" not in anonymous.get("/").content.decode()


def test_wrong_choice_is_refused(admin_client):
    response = admin_client.post(
        "/_admin/settings", {"title": "X", "registration": "sometimes", "default_repo_permission": "read"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert not AppSettings.objects.exists()
