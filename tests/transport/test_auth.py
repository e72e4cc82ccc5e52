import base64

import pytest

from lindos.transport.auth import Credentials, parse_basic, user_for_credentials


def header(text):
    return "Basic " + base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("value, expected", [
    (header("alice:pw"), Credentials("alice", "pw")),
    (header("alice:pw:with:colons"), Credentials("alice", "pw:with:colons")),
    ("basic " + base64.b64encode(b"bob:x").decode(), Credentials("bob", "x")),
    (header("no-colon"), None),
    (header(":pw"), None),
    ("Bearer abc", None),
    ("Basic !!!notbase64", None),
    ("", None),
    (None, None),
])
def test_parse_basic(value, expected):
    assert parse_basic(value) == expected


def test_password_api_key_and_refusals(make_user):
    user = make_user("ivy", password="right")
    assert user_for_credentials(Credentials("ivy", "right")) == user
    assert user_for_credentials(Credentials("IVY", "right")) == user
    assert user_for_credentials(Credentials("ivy", user.api_key)) == user
    assert user_for_credentials(Credentials("ivy", "wrong")) is None
    assert user_for_credentials(Credentials("nobody", "right")) is None
    inactive = make_user("jay", password="pw", active=False)
    assert user_for_credentials(Credentials("jay", "pw")) is None
    assert user_for_credentials(Credentials("jay", inactive.api_key)) is None


def test_remembered_password_ends_when_the_password_changes(make_user):
    user = make_user("kim", password="first")
    assert user_for_credentials(Credentials("kim", "first")) == user
    assert user_for_credentials(Credentials("kim", "first")) == user  # from memory
    user.set_password("second")
    user.save()
    assert user_for_credentials(Credentials("kim", "first")) is None
    assert user_for_credentials(Credentials("kim", "second")) == user
