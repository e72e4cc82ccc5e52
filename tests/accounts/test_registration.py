"""Self-registration in Kallithea's three modes, switched by an admin setting
in the database: disabled, manual activation (Kallithea's default) and
automatic activation.  A registration is finished by a link mailed to its
address (so the form answers the same whether or not the address is in
use); then the admins are told (event ``UserRegistered``, mail type
``registration``)."""

import pytest

from lindos.accounts.models import User
from lindos.notifications.events import AddressConfirmationRequested, AddressInUse, UserRegistered
from tests.accounts.conftest import PASSWORD, csrf_free, header_name, text

FORM = {
    "username": "newbie",
    "firstname": "New",
    "lastname": "Bie",
    "email": "newbie@example.com",
    "password": PASSWORD,
    "password_confirmation": PASSWORD,
}


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


def register_and_confirm(client, events, form=FORM):
    """Register, then follow the mailed link (GET shows it, POST confirms)."""
    from urllib.parse import urlsplit

    sent = client.post("/_admin/register", form)
    assert sent.status_code == 200 and "Check your mail" in text(sent)
    (event,) = [e for e in events if isinstance(e, AddressConfirmationRequested)]
    path = urlsplit(event.confirm_url).path
    page = client.get(path)
    assert page.status_code == 200 and f"Create the account “{form['username']}”" in text(page)
    return client.post(path, follow=True)


def test_manual_registration_waits_for_an_admin(client, registration, events, admin):
    registration("manual")
    response = register_and_confirm(client, events)
    assert response.redirect_chain == [("/_admin/login", 302)]
    assert "An administrator must activate it before you can log in." in text(response)
    user = User.objects.get(username="newbie")
    assert (user.is_active, user.email, user.get_full_name()) == (False, "newbie@example.com", "New Bie")
    assert events[-1] == UserRegistered(actor_id=user.pk, user_id=user.pk)

    client.post("/_admin/login", {"username": "newbie", "password": PASSWORD})
    assert header_name(client.get("/")) is None

    admin_client = type(client)()
    admin_client.force_login(admin)
    admin_client.post(f"/_admin/users/{user.pk}/toggle/active")
    client.post("/_admin/login", {"username": "newbie", "password": PASSWORD})
    assert header_name(client.get("/")) == "New Bie"


def test_automatic_registration_logs_in_once_the_address_is_confirmed(client, registration, events):
    registration("automatic")
    client.post("/_admin/register", FORM)
    assert not User.objects.exists()  # nothing until the link is followed
    (event,) = events
    assert (event.address, event.username, event.purpose, event.name, event.user_id) == (
        "newbie@example.com",
        "newbie",
        "registration",
        "New Bie",
        None,
    )
    assert event.confirm_url.startswith("http://lindos.example.com/_admin/register/confirm/")
    events.clear()
    from urllib.parse import urlsplit

    response = client.post(urlsplit(event.confirm_url).path, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert header_name(response) == "New Bie"
    assert "Welcome! Your account has been created." in text(response)
    user = User.objects.get(username="newbie")
    assert user.is_active and not user.is_superuser and user.check_password(PASSWORD)
    assert events == [UserRegistered(actor_id=user.pk, user_id=user.pk)]
    again = client.post(urlsplit(event.confirm_url).path)
    assert again.status_code == 400 and "This link is no longer valid" in text(again)


def test_an_address_in_use_gets_the_same_answer_and_its_owner_is_told(client, registration, events, alice):
    """Hardening issue, item 7: registration said "This email address is
    already in use"; now it answers as for a free address and mails the owner."""
    registration("automatic")
    taken = client.post("/_admin/register", {**FORM, "email": "ALICE@example.com"})
    free = client.post("/_admin/register", FORM)
    assert taken.status_code == free.status_code == 200
    assert csrf_free(taken) == csrf_free(free)
    assert "already in use" not in taken.content.decode()
    assert [type(e) for e in events] == [AddressInUse, AddressConfirmationRequested]
    assert (events[0].user_id, events[0].purpose, events[0].actor_id) == (alice.pk, "registration", None)
    # A pending registration holds no username: trying the name again tells nothing either.
    again = client.post("/_admin/register", {**FORM, "email": "other@example.com"})
    assert again.status_code == 200 and "Check your mail" in text(again)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


def test_a_link_whose_name_or_address_was_taken_meanwhile_makes_nothing(
    client, registration, events, make_user
):
    from urllib.parse import urlsplit

    registration("automatic")
    client.post("/_admin/register", FORM)
    client.post("/_admin/register", {**FORM, "username": "other", "email": "other@example.com"})
    first, second = (urlsplit(e.confirm_url).path for e in events)
    make_user("NEWBIE", email="someone@example.com")
    make_user("third", email="Other@example.com")
    for path, message in [
        (first, "The username newbie was taken meanwhile"),
        (second, "This address belongs to an account already"),
    ]:
        response = client.post(path)
        assert response.status_code == 409 and message in text(response)
    assert User.objects.count() == 2 and header_name(client.get("/")) is None


def test_registrations_from_one_address_are_limited(client, registration, events):
    registration("automatic")
    for n in range(5):
        response = client.post(
            "/_admin/register",
            {**FORM, "username": f"u{n}", "email": f"u{n}@example.com"},
            REMOTE_ADDR="203.0.113.1",
        )
        assert response.status_code == 200
    refused = client.post(
        "/_admin/register", {**FORM, "username": "u9", "email": "u9@example.com"}, REMOTE_ADDR="203.0.113.1"
    )
    assert refused.status_code == 429
    assert "Too many registrations from your address. Try again in 60 minutes." in text(refused)
    elsewhere = client.post(
        "/_admin/register", {**FORM, "username": "u9", "email": "u9@example.com"}, REMOTE_ADDR="203.0.113.2"
    )
    assert elsewhere.status_code == 200 and len(events) == 6


def test_mail_to_one_address_is_limited_whoever_asks(client, registration, events, alice):
    registration("automatic")
    for n in range(5):
        client.post("/_admin/register", {**FORM, "email": "alice@example.com"}, REMOTE_ADDR=f"192.0.2.{n}")
    refused = client.post("/_admin/register", {**FORM, "email": "alice@example.com"}, REMOTE_ADDR="192.0.2.9")
    assert refused.status_code == 429
    assert "Too many mails to that address already. Try again in 60 minutes." in text(refused)
    assert [type(e) for e in events] == [AddressInUse] * 5


@pytest.mark.parametrize("token", ["x", "a" * 5000, "%00"])
def test_bad_registration_links_are_invalid(client, registration, token):
    registration("automatic")
    assert client.get(f"/_admin/register/confirm/{token}").status_code in (400, 404)
    assert client.post(f"/_admin/register/confirm/{token}").status_code in (400, 404)
    assert not User.objects.exists()


def test_links_stop_working_when_registration_is_disabled(client, registration, events):
    from urllib.parse import urlsplit

    registration("automatic")
    client.post("/_admin/register", FORM)
    registration("disabled")
    assert client.post(urlsplit(events[0].confirm_url).path).status_code == 404
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "change,field_error",
    [
        ({"username": "Alice"}, "This username is not available."),
        ({"username": "alice"}, "This username is not available."),
        ({"username": "default"}, "This username is not available."),
        ({"username": "-dash"}, "Use letters, digits, '.', '_' or '-', starting with a letter or digit."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"password_confirmation": "something-else"}, "The passwords do not match."),
        ({"password": "short", "password_confirmation": "short"}, "This password is too short."),
    ],
)
def test_registration_refuses(client, registration, events, alice, change, field_error):
    registration("automatic")
    response = client.post("/_admin/register", {**FORM, **change})
    assert response.status_code == 200
    assert field_error in text(response)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert events == []
