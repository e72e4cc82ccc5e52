"""My account: name, email, password and API key."""

import pytest

from lindos.accounts.models import User
from tests.accounts.conftest import PASSWORD, header_name, text


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def profile(**fields):
    data = {"action": "profile", "profile-first_name": "Alice", "profile-last_name": "Liddell",
            "profile-email": "alice@example.com"}
    data.update({f"profile-{k}": v for k, v in fields.items()})
    return data


def password(old, new1, new2=None):
    return {"action": "password", "password-old_password": old,
            "password-new_password1": new1, "password-new_password2": new2 or new1}


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
    response = alice_client.post("/_admin/my_account", profile(first_name="Alicia", last_name="Smith"), follow=True)
    assert "Your account has been updated." in text(response)
    assert header_name(response) == "Alicia Smith"
    assert User.objects.get(pk=alice.pk).get_full_name() == "Alicia Smith"


def test_empty_name_shows_the_username(alice_client):
    response = alice_client.post("/_admin/my_account", profile(first_name="", last_name=""), follow=True)
    assert header_name(response) == "alice"


def test_change_email(alice_client, alice):
    alice_client.post("/_admin/my_account", profile(email="alice@wonderland.example"))
    assert User.objects.get(pk=alice.pk).email == "alice@wonderland.example"


@pytest.mark.parametrize("email,error", [
    ("BOB@example.com", "This email address is already in use."),
    ("", "This field is required."),
    ("nope", "Enter a valid email address."),
])
def test_email_must_be_valid_and_unused(alice_client, alice, make_user, email, error):
    make_user("bob")
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


@pytest.mark.parametrize("old,new1,new2,error", [
    ("wrong", "another-secret", None, "Your old password was entered incorrectly."),
    (PASSWORD, "another-secret", "different-secret", "The two password fields didn’t match."),
    (PASSWORD, "short", None, "This password is too short."),
])
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
