"""A password hasher that counts its work, for tests that must show a
password was (or was not) hashed: the fast MD5 hasher the suite uses, with
a counter.  Use the ``hashings`` fixture of ``tests.hashers_fixture``."""

import threading

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher


class CountingMD5PasswordHasher(MD5PasswordHasher):
    calls = 0
    _lock = threading.Lock()

    @classmethod
    def _count(cls):
        with cls._lock:
            cls.calls += 1

    def encode(self, password, salt):
        self._count()
        return super().encode(password, salt)

    # verify() hashes through encode(), so checking a password counts once too.


@pytest.fixture
def hashings(settings):
    """A function returning how many times a password was hashed so far."""
    settings.PASSWORD_HASHERS = ["tests.hashers.CountingMD5PasswordHasher"]
    CountingMD5PasswordHasher.calls = 0
    return lambda: CountingMD5PasswordHasher.calls
