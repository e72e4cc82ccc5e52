"""Self-registration in Kallithea's three modes, switched by an admin setting
in the database: disabled, manual activation (Kallithea's default) and
automatic activation.  Every registration tells the admins (event
``UserRegistered``, mail type ``registration``)."""

import pytest

from lindos.accounts.models import User
from lindos.notifications.events import UserRegistered
from tests.accounts.conftest import PASSWORD, header_name, text

FORM = {"username": "newbie", "firstname": "New", "lastname": "Bie", "email": "newbie@example.com",
        "password": PASSWORD, "password_confirmation": PASSWORD}


def test_disabled_registration_is_not_found(client, registration, events):
    registration("disabled")
    assert client.get("/_admin/register").status_code == 404
    assert client.post("/_admin/register", FORM).status_code == 404
    assert not User.objects.exists() and events == []
    assert 'href="/_admin/register"' not in client.get("/_admin/login").content.decode()


def test_manual_activation_is_the_default(client, db, events):
    page = client.get("/_admin/register")
    assert page.status_code == 200
    assert "An administrator will activate your account before you can log in." in text(page)


def test_manual_registration_waits_for_an_admin(client, registration, events, admin):
    registration("manual")
    response = client.post("/_admin/register", FORM, follow=True)
    assert response.redirect_chain == [("/_admin/login", 302)]
    assert "An administrator must activate it before you can log in." in text(response)
    user = User.objects.get(username="newbie")
    assert (user.is_active, user.email, user.get_full_name()) == (False, "newbie@example.com", "New Bie")
    assert events == [UserRegistered(actor_id=user.pk, user_id=user.pk)]

    client.post("/_admin/login", {"username": "newbie", "password": PASSWORD})
    assert header_name(client.get("/")) is None

    admin_client = type(client)()
    admin_client.force_login(admin)
    admin_client.post(f"/_admin/users/{user.pk}/toggle/active")
    client.post("/_admin/login", {"username": "newbie", "password": PASSWORD})
    assert header_name(client.get("/")) == "New Bie"


def test_automatic_registration_logs_in(client, registration, events):
    registration("automatic")
    response = client.post("/_admin/register", FORM, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert header_name(response) == "New Bie"
    assert "Welcome! Your account has been created." in text(response)
    user = User.objects.get(username="newbie")
    assert user.is_active and not user.is_superuser
    assert events == [UserRegistered(actor_id=user.pk, user_id=user.pk)]


@pytest.mark.parametrize("change,field_error", [
    ({"username": "Alice"}, "This username is not available."),
    ({"username": "alice"}, "This username is not available."),
    ({"email": "ALICE@Example.COM"}, "This email address is already in use."),
    ({"username": "default"}, "This username is not available."),
    ({"username": "-dash"}, "Use letters, digits, '.', '_' or '-', starting with a letter or digit."),
    ({"email": "not-an-address"}, "Enter a valid email address."),
    ({"password_confirmation": "something-else"}, "The passwords do not match."),
    ({"password": "short", "password_confirmation": "short"}, "This password is too short."),
])
def test_registration_refuses(client, registration, events, alice, change, field_error):
    registration("automatic")
    response = client.post("/_admin/register", {**FORM, **change})
    assert response.status_code == 200
    assert field_error in text(response)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert events == []
