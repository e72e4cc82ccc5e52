"""Admin pages: /_admin/users/ID/edit/ips and /_admin/permissions/ips."""

import pytest

from lindos.ipaccess.models import AllowedNetwork


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("root", admin=True))
    return client


def test_user_page_lists_own_and_inherited_and_adds_and_deletes(admin_client, make_user, allow):
    alice = make_user("alice")
    allow(None, "192.0.2.0/24")
    admin_client.defaults["REMOTE_ADDR"] = "192.0.2.9"  # the admin is bound by it too
    url = f"/_admin/users/{alice.pk}/edit/ips"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"Inherited from the" in page.content and b"192.0.2.0 \xe2\x80\x93 192.0.2.255" in page.content
    response = admin_client.post(url, {"new_ip": "10.1.2.3/8"})
    assert response.status_code == 302 and response["Location"] == url
    page = admin_client.get(url)
    assert b"Added IP address 10.0.0.0/8 to the allowed networks." in page.content
    entry = AllowedNetwork.objects.get(user=alice)
    assert entry.network == "10.0.0.0/8"
    assert f'name="del_ip_id" value="{entry.pk}"'.encode() in page.content
    response = admin_client.post(url + "/delete", {"del_ip_id": entry.pk})
    assert response.status_code == 302 and response["Location"] == url
    assert not AllowedNetwork.objects.filter(user=alice).exists()
    assert b"Removed IP address 10.0.0.0/8" in admin_client.get(url).content


def test_default_page(admin_client, allow):
    page = admin_client.get("/_admin/permissions/ips")
    assert b"All IP addresses are allowed." in page.content
    # The admin adding a list that leaves out their own address locks
    # themselves out, so the page says where they are connecting from.
    assert b"You are connecting from <code>127.0.0.1</code>" in page.content
    response = admin_client.post("/_admin/permissions/ips", {"new_ip": "2001:db8::1"})
    assert response.status_code == 302 and response["Location"] == "/_admin/permissions/ips"
    entry = AllowedNetwork.objects.get()
    assert entry.user is None and entry.network == "2001:db8::1/128"
    response = admin_client.post(
        "/_admin/permissions/ips/delete", {"del_ip_id": entry.pk}, REMOTE_ADDR="2001:db8::1"
    )
    assert response.status_code == 302 and not AllowedNetwork.objects.exists()


@pytest.mark.parametrize(
    "value",
    [
        "10.0.0.300",
        "10.0.0.0/99",
        "",
        "   ",
        "<b>1.2.3.4</b>",
        "fe80::1%eth0",
        "é",
        "x" * 5000,
        "1.2.3.4\r\nSet-Cookie: a=b",
    ],
)
def test_a_bad_value_is_a_form_error(admin_client, make_user, value):
    alice = make_user("alice")
    response = admin_client.post(f"/_admin/users/{alice.pk}/edit/ips", {"new_ip": value})
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content
    assert b"<b>" not in response.content
    assert not AllowedNetwork.objects.exists()


def test_a_missing_field_or_odd_body_is_no_500(admin_client, make_user):
    alice = make_user("alice")
    url = f"/_admin/users/{alice.pk}/edit/ips"
    assert admin_client.post(url, {}).status_code == 400
    assert admin_client.post(url, {"new_ip": ["10.0.0.1", "10.0.0.2"]}).status_code == 302
    assert (
        admin_client.post(url, b"\xff\xfe", content_type="application/x-www-form-urlencoded").status_code
        == 400
    )
    assert admin_client.post(url + "/delete", {}).status_code == 302
    assert admin_client.get(url + "/delete").status_code == 405
    assert admin_client.put(url).status_code == 405


def test_forged_ids_cannot_touch_another_list(admin_client, make_user, allow):
    alice, bob = make_user("alice"), make_user("bob")
    bobs = allow(bob, "10.0.0.0/8")
    default = allow(None, "192.0.2.0/24")
    admin_client.defaults["REMOTE_ADDR"] = "192.0.2.9"
    for entry in (bobs, default):
        response = admin_client.post(f"/_admin/users/{alice.pk}/edit/ips/delete", {"del_ip_id": entry.pk})
        assert response.status_code == 302
    response = admin_client.post("/_admin/permissions/ips/delete", {"del_ip_id": bobs.pk}, follow=True)
    assert b"There is no such entry in this list." in response.content
    for forged in ("-1", "0x10", "1 OR 1=1", "9" * 100, "\x00"):
        admin_client.post(f"/_admin/users/{bob.pk}/edit/ips/delete", {"del_ip_id": forged})
    assert AllowedNetwork.objects.count() == 2
    # Kallithea's form field "default_user" on a user's page changes nothing here.
    admin_client.post(f"/_admin/users/{alice.pk}/edit/ips", {"new_ip": "10.0.0.1", "default_user": "True"})
    assert AllowedNetwork.objects.get(network="10.0.0.1/32").user == alice


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/_admin/users/999999/edit/ips").status_code == 404
    assert admin_client.post("/_admin/users/999999/edit/ips", {"new_ip": "10.0.0.1"}).status_code == 404
    assert admin_client.post("/_admin/users/999999/edit/ips/delete", {"del_ip_id": "1"}).status_code == 404
    assert admin_client.get("/_admin/users/99999999999999999999999/edit/ips").status_code == 404
    assert not AllowedNetwork.objects.exists()


def test_non_admins_get_404_and_anonymous_visitors_the_login(client, make_user, allow):
    alice, bob = make_user("alice"), make_user("bob")
    entry = allow(bob, "10.0.0.0/8")
    urls = [
        ("get", f"/_admin/users/{alice.pk}/edit/ips", {}),
        ("post", f"/_admin/users/{alice.pk}/edit/ips", {"new_ip": "0.0.0.0/0"}),
        ("post", f"/_admin/users/{bob.pk}/edit/ips/delete", {"del_ip_id": entry.pk}),
        ("get", "/_admin/permissions/ips", {}),
        ("post", "/_admin/permissions/ips", {"new_ip": "0.0.0.0/0"}),
    ]
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 302  # to the login page
    client.force_login(alice)
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert list(AllowedNetwork.objects.values_list("network", flat=True)) == ["10.0.0.0/8"]


def test_csrf_is_required(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("root", admin=True))
    alice = make_user("alice")
    assert client.post(f"/_admin/users/{alice.pk}/edit/ips", {"new_ip": "10.0.0.1"}).status_code == 403
    assert client.post("/_admin/permissions/ips", {"new_ip": "10.0.0.1"}).status_code == 403
    assert not AllowedNetwork.objects.exists()


def test_many_entries_stop_at_the_bound(admin_client, make_user, monkeypatch):
    from lindos.ipaccess import actions

    monkeypatch.setattr(actions, "MAX_ENTRIES", 20)
    alice = make_user("alice")
    url = f"/_admin/users/{alice.pk}/edit/ips"
    for i in range(25):
        admin_client.post(url, {"new_ip": f"10.0.{i}.0/24"})
    assert AllowedNetwork.objects.filter(user=alice).count() == 20
    response = admin_client.post(url, {"new_ip": "10.9.0.0/24"})
    assert response.status_code == 400 and b"at most 20 entries" in response.content


def test_user_edit_page_links_to_the_ips_page(admin_client, make_user):
    alice = make_user("alice")
    page = admin_client.get(f"/_admin/users/{alice.pk}/edit")
    assert f'href="/_admin/users/{alice.pk}/edit/ips"'.encode() in page.content
    assert b'href="/_admin/permissions/ips"' in admin_client.get("/_admin/permissions").content
