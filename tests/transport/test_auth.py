import base64

import pytest

from lindos.transport.auth import Credentials, LoginThrottled, parse_basic, user_for_credentials
from tests.hashers import hashings  # noqa: F401  (fixture)


def check(credentials, address="192.0.2.1"):
    return user_for_credentials(credentials, address=address, channel="git")


def header(text):
    return "Basic " + base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "value, expected",
    [
        (header("alice:pw"), Credentials("alice", "pw")),
        (header("alice:pw:with:colons"), Credentials("alice", "pw:with:colons")),
        ("basic " + base64.b64encode(b"bob:x").decode(), Credentials("bob", "x")),
        (header("no-colon"), None),
        (header(":pw"), None),
        ("Bearer abc", None),
        ("Basic !!!notbase64", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_basic(value, expected):
    assert parse_basic(value) == expected


def test_password_api_key_and_refusals(make_user):
    user = make_user("ivy", password="right")
    assert check(Credentials("ivy", "right")) == user
    assert check(Credentials("IVY", "right")) == user
    assert check(Credentials("ivy", user.api_key)) == user
    assert check(Credentials("ivy", "wrong")) is None
    assert check(Credentials("nobody", "right")) is None
    inactive = make_user("jay", password="pw", active=False)
    assert check(Credentials("jay", "pw")) is None
    assert check(Credentials("jay", inactive.api_key)) is None


def test_remembered_password_ends_when_the_password_changes(make_user):
    user = make_user("kim", password="first")
    assert check(Credentials("kim", "first")) == user
    assert check(Credentials("kim", "first")) == user  # from memory
    user.set_password("second")
    user.save()
    assert check(Credentials("kim", "first")) is None
    assert check(Credentials("kim", "second")) == user


def test_unknown_and_inactive_users_cost_a_hash_like_real_ones(make_user, hashings):
    """Hardening issue, item 7: Basic auth answered in 243 ms for an existing
    user and 3 ms for an unknown one.  Every refusal now runs the hasher."""
    make_user("ivy", password="right")
    make_user("jay", password="pw", active=False)
    costs = {}
    for username in ("ivy", "nobody", "jay", "IVY", "nul\x00name"):
        before = hashings()
        assert check(Credentials(username, "wrong")) is None
        costs[username] = hashings() - before
    assert costs["ivy"] > 0
    assert set(costs.values()) == {costs["ivy"]}, costs


def test_throttled_credentials_are_refused_before_hashing(make_user, hashings):
    user = make_user("ivy", password="right")
    for n in range(10):
        assert check(Credentials("ivy", f"guess{n}")) is None
    before = hashings()
    for secret in ("guess", "right", user.api_key):
        with pytest.raises(LoginThrottled) as refused:
            check(Credentials("ivy", secret))
        assert refused.value.refusal.scope == "pair"
    assert hashings() == before
    assert check(Credentials("ivy", "right"), address="198.51.100.1") == user


def test_a_correct_login_from_elsewhere_still_works_over_git(make_user, make_repo, client):
    """200 wrong tries from one address; the owner, elsewhere, still clones."""
    alice = make_user("alice", password="right")
    make_repo("secret", owner=alice, private=True)
    url = "/secret/info/refs?service=git-upload-pack"
    answers = [
        client.get(url, HTTP_AUTHORIZATION=header(f"alice:guess{n}"), REMOTE_ADDR="203.0.113.9")
        for n in range(200)
    ]
    assert [r.status_code for r in answers[:10]] == [401] * 10
    assert {r.status_code for r in answers[10:]} == {429}
    last = answers[-1]
    assert last["Retry-After"].isdigit() and 0 < int(last["Retry-After"]) <= 900
    assert last.content.decode() == (
        "Too many failed logins for this account from your address. Try again in 15 minutes.\n"
    )
    owner = client.get(url, HTTP_AUTHORIZATION=header("alice:right"), REMOTE_ADDR="198.51.100.1")
    assert owner.status_code == 200
    assert (
        client.get(
            url, HTTP_AUTHORIZATION=header(f"alice:{alice.api_key}"), REMOTE_ADDR="2001:db8::1"
        ).status_code
        == 200
    )
