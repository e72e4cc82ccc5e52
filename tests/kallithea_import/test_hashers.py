"""Kallithea's password hashes verify as they are and are replaced at login."""

import hashlib

import bcrypt
import pytest
from django.contrib.auth.hashers import check_password, identify_hasher

from lindos.kallithea_import.hashers import encoded_from_kallithea


def kallithea_bcrypt(password: str, prefix: bytes = b"2b") -> str:
    # What Kallithea stored: bcrypt.hashpw(password, gensalt(10)), as text.
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(4, prefix=prefix)).decode()


@pytest.mark.parametrize("prefix", [b"2a", b"2b"])
def test_a_bcrypt_hash_verifies_and_asks_to_be_replaced(prefix):
    encoded = encoded_from_kallithea(kallithea_bcrypt("sécret-1", prefix))
    assert encoded.startswith("kallithea_bcrypt$$" + prefix.decode() + "$")
    upgraded = []
    assert check_password("sécret-1", encoded, setter=upgraded.append)
    assert upgraded == ["sécret-1"]  # Django re-hashes it with the default hasher
    assert not check_password("sécret-2", encoded)


def test_a_sha256_hash_verifies_and_asks_to_be_replaced():
    hexdigest = hashlib.sha256(b"old-windows-pw").hexdigest().upper()
    encoded = encoded_from_kallithea(hexdigest)
    assert encoded == "kallithea_sha256$" + hexdigest.lower()
    upgraded = []
    assert check_password("old-windows-pw", encoded, setter=upgraded.append)
    assert upgraded == ["old-windows-pw"]
    assert not check_password("old-windows-PW", encoded)


@pytest.mark.parametrize("stored", ["", "plain", "$2b$10$short", "x" * 64, "$1$abc$def"])
def test_something_else_is_not_taken_for_a_hash(stored):
    assert encoded_from_kallithea(stored) is None


def test_a_malformed_hash_after_the_prefix_is_a_failed_login_not_an_error():
    assert not check_password("pw", "kallithea_bcrypt$$2b$10$" + "!" * 53)
    assert identify_hasher("kallithea_sha256$" + "0" * 64).algorithm == "kallithea_sha256"
