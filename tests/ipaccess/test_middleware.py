"""The web session is checked on every request, and the login form too."""

import pytest

from lindos.ipaccess.actions import do_delete_network

PASSWORD = "secret-pw"


@pytest.fixture
def alice(make_user):
    return make_user("alice", password=PASSWORD)


def test_a_session_is_refused_on_every_request_from_outside(client, alice, make_repo, allow):
    make_repo("project", owner=alice)
    client.force_login(alice)
    assert client.get("/").status_code == 200
    entry = allow(alice, "10.0.0.0/8")
    for url in ("/", "/project", "/_admin/my_account", "/_admin/journal", "/_admin/login", "/no/such/page"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Access not allowed from this address" in response.content
        assert b"<code>127.0.0.1</code> is not one of them" in response.content
    # A POST is refused before the view (and its CSRF check) sees it.
    assert client.post("/_admin/my_account", {"email": "x@example.com"}).status_code == 403
    # The same session from an allowed address works, and so does this
    # address once it is allowed: the session was kept.
    assert client.get("/", REMOTE_ADDR="10.20.30.40").status_code == 200
    do_delete_network(alice, entry.pk)
    assert client.get("/").status_code == 200


def test_the_default_list_binds_every_account_admins_too(client, make_user, allow):
    root = make_user("root", admin=True)
    client.force_login(root)
    allow(None, "10.0.0.0/8")
    assert client.get("/_admin/users").status_code == 403
    # Not even the admin pages that would undo it: the restriction is real.
    assert client.post("/_admin/permissions/ips/delete", {"del_ip_id": "1"}).status_code == 403
    assert client.get("/_admin/users", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_a_refused_account_may_sign_out(client, alice, allow):
    client.force_login(alice)
    allow(alice, "10.0.0.0/8")
    page = client.get("/")
    assert b'action="/_admin/logout"' in page.content
    response = client.post("/_admin/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # anonymous now: not bound


def test_login_form_refuses_the_right_password_from_outside(client, alice, allow):
    allow(alice, "10.0.0.0/8")
    response = client.post("/_admin/login", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert b"This account may not sign in from your address (127.0.0.1)." in response.content
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/_admin/login", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(alice.pk)


def test_a_wrong_password_from_outside_tells_nothing_more(client, alice, allow):
    allow(alice, "10.0.0.0/8")
    response = client.post("/_admin/login", {"username": "alice", "password": "wrong"})
    assert b"may not sign in from your address" not in response.content


def test_refused_logins_count_toward_the_throttle(client, alice, allow):
    allow(alice, "10.0.0.0/8")
    for _ in range(12):
        response = client.post("/_admin/login", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_a_forwarded_header_is_not_the_address(client, alice, allow):
    """The middleware reads REMOTE_ADDR only; the server puts the forwarded
    address there, and only for a trusted proxy (``test_access``)."""
    client.force_login(alice)
    allow(alice, "10.0.0.0/8")
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_CLIENT_IP"):
        assert client.get("/", **{header: "10.1.2.3"}).status_code == 403


def test_ipv6_session(client, alice, allow):
    client.force_login(alice)
    allow(alice, "2001:db8::/32")
    assert client.get("/", REMOTE_ADDR="::1").status_code == 403
    assert client.get("/", REMOTE_ADDR="2001:db8::42").status_code == 200
    assert client.get("/", REMOTE_ADDR="10.0.0.1").status_code == 403


def test_one_query_per_request_for_the_check(client, alice, allow, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    allow(alice, "127.0.0.0/8")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/_admin/my_account").status_code == 200
    assert sum("ipaccess_allowednetwork" in q["sql"] for q in queries.captured_queries) == 1
