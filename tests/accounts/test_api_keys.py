"""Several API keys per user: the one check (lindos.accounts.api_keys), the
pages, and where a key is accepted (API, git over HTTP, ?api_key=)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lindos.accounts.api_keys import do_create_api_key, user_for_api_key
from lindos.accounts.models import UserApiKey


@pytest.fixture
def users(db):
    from lindos.accounts.registration import do_create_user

    def make(name, **kw):
        return do_create_user(username=name, email=f"{name}@example.com", password="pw-123456", **kw)

    return make("alice"), make("bob"), make("root", is_admin=True)


def test_main_and_extra_keys_prove_their_user(users):
    alice, bob, _root = users
    extra = do_create_api_key(alice, "CI")
    assert user_for_api_key(alice.api_key) == alice
    assert user_for_api_key(extra.api_key) == alice
    assert user_for_api_key(bob.api_key) == bob


@pytest.mark.parametrize(
    "key", ["", "x", "0" * 40, "z" * 40, "a" * 41, None, 12, ["a" * 40], "a" * 10**6, "' OR 1=1 --"]
)
def test_anything_else_proves_nobody(users, key):
    assert user_for_api_key(key) is None


def test_expired_keys_and_inactive_users_are_refused(users):
    alice, bob, _root = users
    old = do_create_api_key(alice, "short", lifetime_minutes=10)
    UserApiKey.objects.filter(pk=old.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert user_for_api_key(old.api_key) is None
    live = do_create_api_key(bob, "bob's")
    bob.is_active = False
    bob.save()
    assert user_for_api_key(live.api_key) is None and user_for_api_key(bob.api_key) is None


def test_a_refused_key_is_logged_by_its_last_four_only(users, caplog):
    caplog.set_level("INFO", logger="lindos.accounts.api_keys")
    wrong = "0123456789abcdef0123456789abcdef01234567"
    user_for_api_key(wrong)
    assert "****4567" in caplog.text and wrong not in caplog.text


def test_my_api_keys_page(client, users):
    alice, bob, _root = users
    client.force_login(alice)
    assert client.get("/_admin/my_account/api_keys").status_code == 200
    client.post(
        "/_admin/my_account/api_keys", {"action": "add", "description": "build farm", "lifetime": "60"}
    )
    key = UserApiKey.objects.get(user=alice)
    assert key.description == "build farm" and key.expires is not None
    page = client.get("/_admin/my_account/api_keys").content.decode()
    assert key.api_key in page and "build farm" in page
    # Lifetimes are the offered ones; descriptions are escaped.
    client.post("/_admin/my_account/api_keys", {"action": "add", "description": "x", "lifetime": "-5"})
    client.post("/_admin/my_account/api_keys", {"action": "add", "description": "<b>x</b>", "lifetime": "0"})
    assert UserApiKey.objects.filter(user=alice).count() == 2
    assert "<b>x</b>" not in client.get("/_admin/my_account/api_keys").content.decode()
    # bob's key cannot be deleted from alice's page.
    bobs = do_create_api_key(bob, "mine")
    client.post("/_admin/my_account/api_keys", {"action": "delete", "key": str(bobs.pk)})
    client.post("/_admin/my_account/api_keys", {"action": "delete", "key": "1e9"})
    assert UserApiKey.objects.filter(pk=bobs.pk).exists()
    client.post("/_admin/my_account/api_keys", {"action": "delete", "key": str(key.pk)})
    assert not UserApiKey.objects.filter(pk=key.pk).exists()
    old_main = alice.api_key
    client.post("/_admin/my_account/api_keys", {"action": "reset"})
    alice.refresh_from_db()
    assert alice.api_key != old_main and user_for_api_key(old_main) is None


def test_admin_manages_any_user_s_keys_others_cannot(client, users):
    alice, bob, root = users
    client.force_login(root)
    client.post(
        f"/_admin/users/{bob.pk}/edit/api_keys", {"action": "add", "description": "by admin", "lifetime": "0"}
    )
    assert UserApiKey.objects.get(user=bob).description == "by admin"
    client.force_login(alice)
    assert client.get(f"/_admin/users/{bob.pk}/edit/api_keys").status_code == 404
    assert client.post(f"/_admin/users/{bob.pk}/edit/api_keys", {"action": "reset"}).status_code == 404
    client.logout()
    assert client.get("/_admin/my_account/api_keys").status_code == 302
