"""HTTP Basic authentication for version control clients.

git and hg send ``Authorization: Basic`` with a username and either the
account's password or its API key (Kallithea accepts both; the API key is
what people put in scripts and credential stores). Session cookies are
never looked at here: the transport is not a browser page.

Every check goes through ``lindos.accounts.throttle`` (refused before any
hashing once an account or address has failed too often) and costs the same
whether or not the account exists: an unknown or inactive user's secret is
hashed against a dummy, as Django's own login does, so the answer's timing
does not tell which usernames exist.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.http import HttpResponse

from lindos.accounts import throttle
from lindos.accounts.api_keys import user_for_api_key, well_formed
from lindos.externalauth.errors import LoginUnavailable

# A clone is two or three requests, each with the password: remembering a
# verified password for a few minutes saves the deliberate cost of hashing
# it each time. Entries are keyed by an HMAC of the credentials (the
# password itself is never kept) and tied to the stored password hash, so
# changing the password ends them at once.
log = logging.getLogger(__name__)

VERIFIED_SECONDS = 300
VERIFIED_MAX = 1000
_verified: OrderedDict[bytes, tuple[int, str, float]] = OrderedDict()
_verified_lock = threading.Lock()


class LoginThrottled(Exception):
    """Too many failed logins: the attempt was refused before checking it."""

    def __init__(self, refusal: throttle.Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


def throttled_response(refusal: throttle.Refusal) -> HttpResponse:
    """429 with Retry-After; git and hg show the status, curl the text."""
    response = HttpResponse(refusal.message + "\n", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(refusal.retry_after)
    return response


class Credentials(NamedTuple):
    username: str
    secret: str


def parse_basic(header: str | None) -> Credentials | None:
    """``Basic base64(user:secret)`` -> Credentials; None if absent or malformed."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, secret = decoded.partition(":")
    if not sep or not username:
        return None
    return Credentials(username, secret)


def user_for_credentials(credentials: Credentials, *, address: str | None, channel: str):
    """The active user those credentials prove, or None; raises
    LoginThrottled (before looking at the secret) when the throttle says so,
    and ``LoginUnavailable`` when the LDAP directory that would check them
    does not answer.

    `address` is the client's (``REMOTE_ADDR``), `channel` ``"git"`` or
    ``"hg"`` (see ``lindos.accounts.throttle``).
    """
    attempt = throttle.begin(credentials.username, address, channel)
    if attempt.refusal is not None:
        raise LoginThrottled(attempt.refusal)
    try:
        user = _verify(credentials)
    except LoginUnavailable:
        attempt.abandoned()  # the directory did not answer: nothing checked, nothing counted
        raise
    if user is None:
        attempt.failed()
    else:
        attempt.succeeded(user.username)
    return user


def _verify(credentials: Credentials):
    """An API key (the main one or an unexpired additional one, checked by
    ``lindos.accounts.api_keys``) is tried first; only if it does not match
    is the password checked (through Django's authentication
    backends, which hash it and so cost some milliseconds by design).
    """
    User = get_user_model()
    user = None
    if "\x00" not in credentials.username:  # PostgreSQL refuses NUL in text
        user = User.objects.filter(username__iexact=credentials.username, is_active=True).first()
    if user is None:
        # No such account yet: an outside source (LDAP) may know the name
        # and create it.  Django's backends hash the secret for an unknown
        # name all the same (a quick None would answer in microseconds
        # instead of the hasher's milliseconds, telling which usernames
        # exist).  LoginUnavailable (the directory did not answer) goes up.
        if "\x00" in credentials.username:
            User().set_password(credentials.secret)
            return None
        created = authenticate(None, username=credentials.username, password=credentials.secret)
        if created is not None and created.is_active:
            _remember_proven(credentials)
            return created
        return None
    if well_formed(credentials.secret):
        keyed = user_for_api_key(credentials.secret, source="http", report=False)
        if keyed is not None and keyed.pk == user.pk:
            _remember_proven(credentials)
            return user
    key = hmac.new(
        settings.SECRET_KEY.encode(), f"{user.pk}\0{credentials.secret}".encode(), hashlib.sha256
    ).digest()
    with _verified_lock:
        hit = _verified.get(key)
    if hit is not None and hit[0] == user.pk and hit[1] == user.password and hit[2] > time.monotonic():
        _remember_proven(credentials)
        return user
    authenticated = authenticate(None, username=user.username, password=credentials.secret)
    if authenticated is not None and authenticated.pk == user.pk and authenticated.is_active:
        _remember_proven(credentials)
        with _verified_lock:
            _verified[key] = (user.pk, authenticated.password, time.monotonic() + VERIFIED_SECONDS)
            while len(_verified) > VERIFIED_MAX:
                _verified.popitem(last=False)
        return authenticated
    return None


# Credentials that proved a user lately, by an HMAC of username and secret
# alone, so the server can ask "were these just checked?" before it has a
# database connection, while it is still reading a request's headers
# (lindos.transport.body_limit lets only those push big bodies). It answers
# for the body size only: every request is still authenticated in full.
# Kept in the process and in Django's cache (the file cache in cache_dir),
# so several ``lindos serve`` processes of one machine share the proofs: a
# client's info/refs request may reach one and its push another.
_proven: OrderedDict[bytes, float] = OrderedDict()
_proven_lock = threading.Lock()
PROVEN_CACHE_PREFIX = "lindos:proven:"


def _proven_key(credentials: Credentials) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(),
        f"{credentials.username.lower()}\0{credentials.secret}".encode(),
        hashlib.sha256,
    ).digest()


def _remember_proven(credentials: Credentials) -> None:
    key = _proven_key(credentials)
    now = time.monotonic()
    with _proven_lock:
        previous = _proven.get(key)
        _proven[key] = now + VERIFIED_SECONDS
        _proven.move_to_end(key)
        while len(_proven) > VERIFIED_MAX:
            _proven.popitem(last=False)
    if previous is None or previous - now < VERIFIED_SECONDS / 2:
        # Written when new or half-expired: one cache write per client
        # every few minutes, not one per request.
        try:
            cache.set(PROVEN_CACHE_PREFIX + key.hex(), True, VERIFIED_SECONDS)
        except Exception:  # a cache problem must not fail a login
            log.warning("could not share a credentials proof through the cache", exc_info=True)


def recently_proven(credentials: Credentials | None) -> bool:
    """True if these exact credentials proved an active user within the
    last ``VERIFIED_SECONDS``, in this process or another sharing the
    cache. No database, no hashing: cheap enough for the server's network
    thread."""
    if credentials is None:
        return False
    key = _proven_key(credentials)
    with _proven_lock:
        expires = _proven.get(key)
    if expires is not None and expires > time.monotonic():
        return True
    try:
        return bool(cache.get(PROVEN_CACHE_PREFIX + key.hex()))
    except Exception:
        log.warning("could not read a credentials proof from the cache", exc_info=True)
        return False
