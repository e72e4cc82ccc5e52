"""HTTP Basic authentication for version control clients.

git and hg send ``Authorization: Basic`` with a username and either the
account's password or its API key (Kallithea accepts both; the API key is
what people put in scripts and credential stores). Session cookies are
never looked at here: the transport is not a browser page.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import NamedTuple

from django.contrib.auth import authenticate, get_user_model


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


def user_for_credentials(credentials: Credentials):
    """The active user those credentials prove, or None.

    The API key is compared first and in constant time; only if it does not
    match is the password checked (through Django's authentication
    backends, which hash it and so cost some milliseconds by design).
    """
    User = get_user_model()
    user = User.objects.filter(username__iexact=credentials.username, is_active=True).first()
    if user is None:
        return None
    if credentials.secret and hmac.compare_digest(user.api_key.encode(), credentials.secret.encode()):
        return user
    authenticated = authenticate(None, username=user.username, password=credentials.secret)
    if authenticated is not None and authenticated.pk == user.pk and authenticated.is_active:
        return authenticated
    return None
