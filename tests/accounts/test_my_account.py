"""My account: name, email, password and API key."""

import pytest

from lindos.accounts.models import User
from tests.accounts.conftest import PASSWORD, header_name, text


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def profile(**fields):
    data = {
        "action": "profile",
        "profile-first_name": "Alice",
        "profile-last_name": "Liddell",
        "profile-email": "alice@example.com",
    }
    data.update({f"profile-{k}": v for k, v in fields.items()})
    return data


def password(old, new1, new2=None):
    return {
        "action": "password",
        "password-old_password": old,
        "password-new_password1": new1,
        "password-new_password2": new2 or new1,
    }


def test_needs_login(client, db):
    response = client.get("/_admin/my_account")
    assert response.status_code == 302 and response["Location"] == "/_admin/login?next=/_admin/my_account"


def test_page_shows_profile_and_api_key(alice_client, alice):
    page = alice_client.get("/_admin/my_account")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Alice"' in html and 'value="alice@example.com"' in html
    assert f'value="{alice.api_key}"' in html


def test_change_name_shows_in_the_header(alice_client, alice):
    response = alice_client.post(
        "/_admin/my_account", profile(first_name="Alicia", last_name="Smith"), follow=True
    )
    assert "Your account has been updated." in text(response)
    assert header_name(response) == "Alicia Smith"
    assert User.objects.get(pk=alice.pk).get_full_name() == "Alicia Smith"


def test_empty_name_shows_the_username(alice_client):
    response = alice_client.post("/_admin/my_account", profile(first_name="", last_name=""), follow=True)
    assert header_name(response) == "alice"


def confirm_link(events):
    from urllib.parse import urlsplit

    from lindos.notifications.events import AddressConfirmationRequested

    (event,) = [e for e in events if isinstance(e, AddressConfirmationRequested)]
    return urlsplit(event.confirm_url).path


def test_change_email_takes_effect_when_the_new_address_confirms(alice_client, alice, events, client):
    response = alice_client.post(
        "/_admin/my_account", profile(first_name="Alicia", email="alice@wonderland.example"), follow=True
    )
    assert (
        "Your account has been updated. We sent a link to alice@wonderland.example: "
        "your address changes when you follow it."
    ) in text(response)
    alice.refresh_from_db()
    assert (alice.first_name, alice.email) == ("Alicia", "alice@example.com")
    (event,) = events
    assert (event.address, event.purpose, event.user_id, event.username, event.actor_id) == (
        "alice@wonderland.example",
        "email_change",
        alice.pk,
        "alice",
        alice.pk,
    )
    assert event.confirm_url.startswith("http://lindos.example.com/_admin/my_account/email/")
    path = confirm_link(events)
    page = alice_client.get(path)
    assert page.status_code == 200 and "Make alice@wonderland.example the address" in text(page)
    assert User.objects.get(pk=alice.pk).email == "alice@example.com"  # GET changes nothing
    done = alice_client.post(path, follow=True)
    assert "The address of alice is now alice@wonderland.example." in text(done)
    assert User.objects.get(pk=alice.pk).email == "alice@wonderland.example"
    again = alice_client.post(path)  # works once
    assert again.status_code == 400 and "This link is no longer valid" in text(again)


def test_an_address_in_use_gets_the_same_answer_and_its_owner_is_told(alice_client, alice, make_user, events):
    """Hardening issue, item 7: the profile form said "This email address is
    already in use" to anyone trying someone else's address."""
    from lindos.notifications.events import AddressConfirmationRequested, AddressInUse

    bob = make_user("bob")
    taken = alice_client.post("/_admin/my_account", profile(email="BOB@example.com"), follow=True)
    free = alice_client.post("/_admin/my_account", profile(email="BOB@example.org"), follow=True)
    assert taken.status_code == free.status_code == 200
    assert text(taken).replace("BOB@example.com", "X") == text(free).replace("BOB@example.org", "X")
    assert "already in use" not in taken.content.decode()
    assert [type(e) for e in events] == [AddressInUse, AddressConfirmationRequested]
    assert (events[0].user_id, events[0].purpose, events[0].actor_id) == (bob.pk, "email_change", alice.pk)
    assert User.objects.get(pk=alice.pk).email == "alice@example.com"


def test_a_link_for_an_address_taken_meanwhile_changes_nothing(alice_client, alice, make_user, events):
    alice_client.post("/_admin/my_account", profile(email="shared@example.com"))
    make_user("carol", email="Shared@example.com")
    response = alice_client.post(confirm_link(events))
    assert response.status_code == 409 and "belongs to another account now" in text(response)
    assert User.objects.get(pk=alice.pk).email == "alice@example.com"


@pytest.mark.parametrize("path", ["x", "a" * 5000, "eyJ1IjoxfQ:1abc:forged", "%00", "..%2F"])
def test_bad_email_links_are_invalid(client, db, path):
    response = client.get(f"/_admin/my_account/email/{path}")
    assert response.status_code in (400, 404)
    assert client.post(f"/_admin/my_account/email/{path}").status_code in (400, 404)


def test_address_changes_are_limited(alice_client, alice, events):
    for n in range(5):
        assert alice_client.post("/_admin/my_account", profile(email=f"a{n}@example.org")).status_code == 302
    refused = alice_client.post("/_admin/my_account", profile(email="a9@example.org"))
    assert refused.status_code == 429
    assert "Too many address changes. Try again in 60 minutes." in text(refused)
    assert len(events) == 5


@pytest.mark.parametrize(
    "email,error",
    [
        ("", "This field is required."),
        ("nope", "Enter a valid email address."),
    ],
)
def test_email_must_be_valid(alice_client, alice, email, error):
    response = alice_client.post("/_admin/my_account", profile(email=email))
    assert response.status_code == 200 and error in text(response)
    assert User.objects.get(pk=alice.pk).email == "alice@example.com"


def test_own_email_in_other_case_is_fine(alice_client, alice):
    alice_client.post("/_admin/my_account", profile(email="Alice@Example.com"))
    assert User.objects.get(pk=alice.pk).email == "Alice@example.com"  # the domain part is normalised


def test_change_password_keeps_the_session(alice_client, alice):
    response = alice_client.post("/_admin/my_account", password(PASSWORD, "another-secret"), follow=True)
    assert "Your password has been changed." in text(response)
    assert header_name(alice_client.get("/")) == "Alice Liddell"
    assert User.objects.get(pk=alice.pk).check_password("another-secret")


@pytest.mark.parametrize(
    "old,new1,new2,error",
    [
        ("wrong", "another-secret", None, "Your old password was entered incorrectly."),
        (PASSWORD, "another-secret", "different-secret", "The two password fields didn’t match."),
        (PASSWORD, "short", None, "This password is too short."),
    ],
)
def test_password_change_refused(alice_client, alice, old, new1, new2, error):
    response = alice_client.post("/_admin/my_account", password(old, new1, new2))
    assert response.status_code == 200 and error in text(response)
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


def test_new_api_key(alice_client, alice):
    old_key = alice.api_key
    response = alice_client.post("/_admin/my_account/api_key", follow=True)
    assert "A new API key has been made; the old one no longer works." in text(response)
    new_key = User.objects.get(pk=alice.pk).api_key
    assert new_key != old_key and len(new_key) == 40
    assert f'value="{new_key}"' in response.content.decode()


def test_api_key_reset_needs_post(alice_client, alice):
    assert alice_client.get("/_admin/my_account/api_key").status_code == 405
    assert User.objects.get(pk=alice.pk).api_key == alice.api_key


def test_every_user_has_their_own_api_key(make_user):
    keys = {make_user(f"user{i}").api_key for i in range(5)}
    assert len(keys) == 5
