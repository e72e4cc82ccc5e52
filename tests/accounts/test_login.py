"""Logging in and out (Kallithea's /_admin/login and /_admin/logout)."""

from tests.accounts.conftest import PASSWORD, header_name, text


def test_login_page_and_successful_login(client, alice):
    page = client.get("/_admin/login")
    assert page.status_code == 200 and "Log in" in text(page)
    response = client.post("/_admin/login", {"username": "alice", "password": PASSWORD, "next": "/_admin/my_account"})
    assert response.status_code == 302 and response["Location"] == "/_admin/my_account"
    assert header_name(client.get("/")) == "Alice Liddell"


def test_wrong_password_and_unknown_user_get_the_same_answer(client, alice):
    wrong = client.post("/_admin/login", {"username": "alice", "password": "nope"})
    unknown = client.post("/_admin/login", {"username": "nobody", "password": "nope"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Wrong username or password, or the account is not active." in text(response)
    assert header_name(client.get("/")) is None


def test_inactive_user_cannot_log_in(client, make_user):
    make_user("waiting", is_active=False)
    response = client.post("/_admin/login", {"username": "waiting", "password": PASSWORD})
    assert "Wrong username or password, or the account is not active." in text(response)
    assert header_name(client.get("/")) is None


def test_next_to_another_site_is_not_followed(client, alice):
    response = client.post("/_admin/login", {"username": "alice", "password": PASSWORD,
                                             "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_header_logout_is_a_post_form(client, alice):
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert '<form method="post" action="/_admin/logout"' in html


def test_logout_by_get_only_asks(client, alice):
    client.force_login(alice)
    page = client.get("/_admin/logout")
    assert page.status_code == 200 and "Log out" in text(page)
    assert header_name(client.get("/")) == "Alice Liddell"


def test_logout_by_post(client, alice):
    client.force_login(alice)
    response = client.post("/_admin/logout", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert header_name(response) is None
    assert "You have been logged out." in text(response)


def test_logged_in_user_visiting_login_goes_home(client, alice):
    client.force_login(alice)
    assert client.get("/_admin/login")["Location"] == "/"
