"""Logging in and out (Kallithea's /_admin/login and /_admin/logout)."""

from tests.accounts.conftest import PASSWORD, csrf_free, header_name, text


def test_login_page_and_successful_login(client, alice):
    page = client.get("/_admin/login")
    assert page.status_code == 200 and "Log in" in text(page)
    response = client.post(
        "/_admin/login", {"username": "alice", "password": PASSWORD, "next": "/_admin/my_account"}
    )
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
    response = client.post(
        "/_admin/login", {"username": "alice", "password": PASSWORD, "next": "https://evil.example.com/"}
    )
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


# --- brute force (hardening issue, item 5) ------------------------------------

from tests.hashers import hashings  # noqa: E402,F401  (fixture)

ATTACKER, OWNER = "203.0.113.66", "198.51.100.20"


def _login(client, username, password, address):
    return client.post("/_admin/login", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_200_wrong_logins_are_refused_before_hashing_after_ten(client, alice, hashings, caplog):
    answers = [_login(client, "alice", f"guess{n}", ATTACKER) for n in range(200)]
    assert [r.status_code for r in answers[:10]] == [200] * 10
    assert all("Wrong username or password" in text(r) for r in answers[:10])
    hashed_by_ten = hashings()
    assert {r.status_code for r in answers[10:]} == {429}
    assert all(r["Retry-After"].isdigit() for r in answers[10:])
    assert "Too many failed logins for this account from your address. Try again in 15 minutes." in text(
        answers[-1]
    )
    # Even the right password is refused there, unhashed, for now.
    right = _login(client, "alice", PASSWORD, ATTACKER)
    assert right.status_code == 429 and header_name(client.get("/")) is None
    assert hashings() == hashed_by_ten
    assert any(r.levelname == "WARNING" and "login throttled" in r.getMessage() for r in caplog.records)


def test_a_correct_login_from_elsewhere_still_works(client, alice):
    for n in range(200):
        _login(client, "alice", f"guess{n}", ATTACKER)
    response = _login(client, "alice", PASSWORD, OWNER)
    assert response.status_code == 302
    assert header_name(client.get("/")) == "Alice Liddell"


def test_throttling_does_not_tell_whether_an_account_exists(client, alice):
    for username in ("alice", "nobody"):
        for _ in range(10):
            _login(client, username, "nope", ATTACKER)
    real, unknown = (_login(client, u, "nope", ATTACKER) for u in ("alice", "nobody"))
    assert real.status_code == unknown.status_code == 429
    assert csrf_free(real) == csrf_free(unknown).replace('value="nobody"', 'value="alice"')


def test_a_wrong_old_password_on_my_account_counts_as_a_failed_login(client, alice, hashings):
    """A stolen session must not become a password-guessing oracle."""
    client.force_login(alice)
    for n in range(10):
        page = client.post(
            "/_admin/my_account",
            {
                "action": "password",
                "password-old_password": f"guess{n}",
                "password-new_password1": "new-secret-1",
                "password-new_password2": "new-secret-1",
            },
            REMOTE_ADDR=ATTACKER,
        )
        assert page.status_code == 200
    hashed = hashings()
    page = client.post(
        "/_admin/my_account",
        {
            "action": "password",
            "password-old_password": PASSWORD,
            "password-new_password1": "new-secret-1",
            "password-new_password2": "new-secret-1",
        },
        REMOTE_ADDR=ATTACKER,
    )
    assert page.status_code == 429
    assert "Too many failed logins for this account from your address." in text(page)
    assert hashings() == hashed
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_unknown_and_inactive_users_cost_a_hash_like_real_ones(client, alice, make_user, hashings):
    """Hardening issue, item 7 (timing): the web login runs the hasher for
    every refusal, as Basic auth does (tests/transport/test_auth.py)."""
    make_user("waiting", is_active=False)
    costs = {}
    for username in ("alice", "nobody", "waiting", "ALICE"):
        before = hashings()
        assert _login(client, username, "wrong", OWNER).status_code == 200
        costs[username] = hashings() - before
    assert costs["alice"] > 0 and set(costs.values()) == {costs["alice"]}, costs
