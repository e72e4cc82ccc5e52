"""Admin > Users (/_admin/users): list, search, create, edit, deactivate and
toggle admin; for admins only, and an admin cannot lock themselves out."""

import pytest

from lindos.accounts.models import User
from tests.accounts.conftest import PASSWORD, header_name, text

ADMIN_URLS = ["/_admin/users", "/_admin/users/new", "/_admin/users/{pk}/edit", "/_admin/settings"]


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_non_admins_get_not_found(client, alice, url):
    client.force_login(alice)
    assert client.get(url.format(pk=alice.pk)).status_code == 404
    assert client.post(f"/_admin/users/{alice.pk}/toggle/admin").status_code == 404
    assert not User.objects.get(pk=alice.pk).is_superuser


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, alice, url):
    response = client.get(url.format(pk=alice.pk))
    assert response.status_code == 302 and response["Location"].startswith("/_admin/login?next=")


def test_admin_links_in_the_header_only_for_admins(client, alice, admin):
    client.force_login(alice)
    assert 'href="/_admin/users"' not in client.get("/").content.decode()
    client.force_login(admin)
    assert 'href="/_admin/users"' in client.get("/").content.decode()


def test_list_shows_every_user(admin_client, alice, make_user):
    make_user("bob", is_active=False)
    page = text(admin_client.get("/_admin/users"))
    assert "Users 3" in page
    for expected in (
        "alice Alice Liddell · alice@example.com alice@example.com never Deactivate Make admin",
        "bob inactive — · bob@example.com bob@example.com never Activate Make admin",
        "root admin Ada Admin · root@example.com root@example.com just now you",
    ):
        assert expected in page


@pytest.mark.parametrize(
    "query,found",
    [
        ("ali", {"alice"}),
        ("LIDDELL", {"alice"}),
        ("@example.com", {"alice", "bob", "root"}),
        ("bob@", {"bob"}),
        ("zzz", set()),
    ],
)
def test_search(admin_client, alice, make_user, query, found):
    make_user("bob")
    html = admin_client.get("/_admin/users", {"q": query}).content.decode()
    listed = {u.username for u in User.objects.all() if f'/_admin/users/{u.pk}/edit">{u.username}<' in html}
    assert listed == found
    if not found:
        assert "No users match." in text(admin_client.get("/_admin/users", {"q": query}))


def test_create_user(admin_client, client):
    response = admin_client.post(
        "/_admin/users/new",
        {
            "username": "carol",
            "first_name": "Carol",
            "last_name": "Chen",
            "email": "carol@example.com",
            "is_active": "on",
            "password": "carols-password",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/_admin/users", 302)]
    assert "Created user carol." in text(response)
    carol = User.objects.get(username="carol")
    assert (carol.is_active, carol.is_superuser, carol.get_full_name()) == (True, False, "Carol Chen")
    other = type(admin_client)()
    other.post("/_admin/login", {"username": "carol", "password": "carols-password"})
    assert header_name(other.get("/")) == "Carol Chen"


def test_create_admin_user(admin_client):
    admin_client.post(
        "/_admin/users/new",
        {
            "username": "dave",
            "email": "dave@example.com",
            "is_active": "on",
            "is_superuser": "on",
            "password": "daves-password",
        },
    )
    assert User.objects.get(username="dave").is_superuser


@pytest.mark.parametrize(
    "change,error",
    [
        ({"username": "ALICE"}, "This username is not available."),
        ({"email": "Alice@Example.com"}, "This email address is already in use."),
        ({"password": ""}, "This field is required."),
        ({"password": "abc"}, "This password is too short."),
    ],
)
def test_create_user_refused(admin_client, alice, change, error):
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "is_active": "on",
        "password": "carols-password",
    }
    response = admin_client.post("/_admin/users/new", {**data, **change})
    assert response.status_code == 200 and error in text(response)
    assert not User.objects.filter(username__in=["carol", "ALICE"]).exists()


def edit_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "password": "",
    }
    if user.is_active:
        data["is_active"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_edit_user_keeps_password_when_left_empty(admin_client, alice):
    response = admin_client.post(
        f"/_admin/users/{alice.pk}/edit",
        edit_data(alice, first_name="Alicia", email="alicia@example.com"),
        follow=True,
    )
    assert "Updated user alice." in text(response)
    alice.refresh_from_db()
    assert (alice.first_name, alice.email) == ("Alicia", "alicia@example.com")
    assert alice.check_password(PASSWORD)


def test_edit_user_sets_a_password(admin_client, alice):
    admin_client.post(f"/_admin/users/{alice.pk}/edit", edit_data(alice, password="set-by-admin"))
    alice.refresh_from_db()
    assert alice.check_password("set-by-admin")


def test_edit_shows_the_api_key(admin_client, alice):
    assert alice.api_key in admin_client.get(f"/_admin/users/{alice.pk}/edit").content.decode()


def test_deactivate_and_reactivate(admin_client, alice):
    admin_client.post(f"/_admin/users/{alice.pk}/edit", edit_data(alice, is_active=None))
    alice.refresh_from_db()
    assert not alice.is_active
    response = admin_client.post(f"/_admin/users/{alice.pk}/toggle/active", follow=True)
    assert "alice is active." in text(response)
    assert User.objects.get(pk=alice.pk).is_active
    response = admin_client.post(f"/_admin/users/{alice.pk}/toggle/active", follow=True)
    assert "alice is deactivated." in text(response)
    other = type(admin_client)()
    other.post("/_admin/login", {"username": "alice", "password": PASSWORD})
    assert header_name(other.get("/")) is None


def test_deactivated_user_is_logged_out_of_open_sessions(admin_client, alice):
    alice_client = type(admin_client)()
    alice_client.force_login(alice)
    admin_client.post(f"/_admin/users/{alice.pk}/toggle/active")
    assert header_name(alice_client.get("/")) is None


def test_toggle_admin(admin_client, alice):
    response = admin_client.post(f"/_admin/users/{alice.pk}/toggle/admin", follow=True)
    assert "alice is now an admin." in text(response)
    assert User.objects.get(pk=alice.pk).is_superuser
    response = admin_client.post(f"/_admin/users/{alice.pk}/toggle/admin", follow=True)
    assert "alice is no longer an admin." in text(response)
    assert not User.objects.get(pk=alice.pk).is_superuser


def test_toggle_needs_post_and_a_known_flag(admin_client, alice):
    assert admin_client.get(f"/_admin/users/{alice.pk}/toggle/admin").status_code == 405
    assert admin_client.post(f"/_admin/users/{alice.pk}/toggle/staff").status_code == 404
    assert admin_client.post("/_admin/users/99999/toggle/admin").status_code == 404


def test_toggle_never_redirects_to_another_site(admin_client, alice):
    response = admin_client.post(
        f"/_admin/users/{alice.pk}/toggle/admin", {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/_admin/users"
    response = admin_client.post(f"/_admin/users/{alice.pk}/toggle/admin", {"next": "/_admin/users?q=ali"})
    assert response["Location"] == "/_admin/users?q=ali"


@pytest.mark.parametrize("flag", ["admin", "active"])
def test_admin_cannot_toggle_themselves(admin_client, admin, flag):
    response = admin_client.post(f"/_admin/users/{admin.pk}/toggle/{flag}", follow=True)
    assert "You cannot change your own admin or active flag here." in text(response)
    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_active


@pytest.mark.parametrize("change", [{"is_superuser": None}, {"is_active": None}])
def test_admin_cannot_unadmin_or_deactivate_themselves_by_editing(admin_client, admin, change):
    response = admin_client.post(f"/_admin/users/{admin.pk}/edit", edit_data(admin, **change))
    assert response.status_code == 200
    assert "You cannot remove your own admin flag or deactivate yourself." in text(response)
    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_active


def test_admin_can_edit_their_own_name(admin_client, admin):
    admin_client.post(f"/_admin/users/{admin.pk}/edit", edit_data(admin, first_name="Augusta"))
    admin.refresh_from_db()
    assert admin.first_name == "Augusta"


def test_list_is_paginated(admin_client, make_user):
    for i in range(55):
        make_user(f"user{i:02d}")
    first = text(admin_client.get("/_admin/users"))
    assert "Page 1 of 2" in first and "user48" in first and "user49" not in first
    assert "user54" in text(admin_client.get("/_admin/users", {"page": 2}))
