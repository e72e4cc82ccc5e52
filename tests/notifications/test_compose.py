"""Composition details: the fast To header equals the email package's."""

import pytest

from lindos.notifications.compose import fold, to_header
from lindos.notifications.sender import mailbox


@pytest.mark.parametrize("name, address", [
    ("Alice Liddell", "alice@example.com"), ("", "a@b.example"), ("carol", "c.d+tag@x.example"),
    ("O. Brien", "o@x.example"), ("Jürgen", "j@x.example"), ("a,b", "x@y.example"),
    ('Quote "me"', "q@x.example"), ("x" * 90, "long@x.example"), ("Tab\there", "t@x.example"),
    ("Bob", "user@localhost"), ("Ann-Marie O'Neil", "am@x.example"),
])
def test_to_header_fast_path_matches_the_email_package(name, address):
    assert to_header(name, address) == fold("To", mailbox(name, address))
