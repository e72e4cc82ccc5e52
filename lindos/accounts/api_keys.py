"""API keys: the one place that decides which user a key proves.

Policy (Kallithea's, ``User.get_by_api_key``):
- a key is the user's main key (``User.api_key``) or one of their
  additional keys (``UserApiKey``) that has not expired;
- the user must be active;
- a key is 40 hexadecimal digits (``new_api_key``); anything else is
  refused before the database is asked (a stranger cannot make us run a
  query with a megabyte of text).

Keys are looked up by value through a unique index, then compared again
with ``hmac.compare_digest``.  Every caller (the JSON-RPC API, git/hg
Basic auth, ``?api_key=`` on raw files and archives) goes through
``user_for_api_key``; the API and ``?api_key=`` go through
``login_with_api_key``, which adds the login throttle.
"""

from __future__ import annotations

import hmac
import logging
import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lindos.accounts.models import User, UserApiKey

log = logging.getLogger(__name__)

KEY_SHAPE = re.compile(r"[0-9a-fA-F]{40}\Z")

#: Lifetimes offered on the pages, in minutes (Kallithea's choices); 0 is "never".
LIFETIMES = [
    (0, "forever"),
    (10, "10 minutes"),
    (60, "1 hour"),
    (60 * 24, "1 day"),
    (60 * 24 * 30, "1 month"),
]


def well_formed(key) -> bool:
    return isinstance(key, str) and bool(KEY_SHAPE.match(key))


def _refused(key: str, source: str) -> None:
    # Never the key itself in a log: its last four characters are enough to tell keys apart.
    log.info("refused API key ****%s (%s)", key[-4:] if isinstance(key, str) else "", source)


def user_for_api_key(key, *, source: str = "api", report: bool = True) -> User | None:
    """The active user `key` belongs to (main key or unexpired extra key), or None.

    `report` False is for callers that try a secret as a key before trying
    it as a password (git/hg Basic auth): a refusal there is not a failed
    login yet, and the secret may be a password that must not be logged."""
    if not well_formed(key):
        if report:
            _refused(key if isinstance(key, str) else "", source)
        return None
    user = User.objects.filter(api_key=key, is_active=True).first()
    if user is not None and hmac.compare_digest(user.api_key.encode(), key.encode()):
        return user
    extra = UserApiKey.objects.select_related("user").filter(api_key=key, user__is_active=True).first()
    if (
        extra is not None
        and not extra.is_expired()
        and hmac.compare_digest(extra.api_key.encode(), key.encode())
    ):
        return extra.user
    if report:
        _refused(key, source)
    return None


def login_with_api_key(key, *, address: str | None, source: str):
    """``(user, None)`` for a key that proves an active user; for any other
    key ``(None, refusal)`` when the login throttle
    (``lindos.accounts.throttle``, channel ``api``) already refuses the
    address, else ``(None, None)`` and the failure is counted.

    A key is 160 random bits: it cannot be guessed, and looking it up
    costs one indexed query, not a hash. So a right key is always taken,
    even from a throttled address (a CI machine that sent an old key many
    times keeps working once it has the new one); wrong keys count toward
    the address's limits, shared with password logins on every channel. A
    bare key names no account, so only the per-address limits apply."""
    from lindos.accounts import throttle

    user = user_for_api_key(key, source=source)
    if user is not None:
        return user, None
    attempt = throttle.begin("", address, "api")
    if attempt.refusal is not None:
        return None, attempt.refusal
    attempt.failed()
    return None, None


def api_keys_of(user: User, *, include_expired: bool = True) -> list[str]:
    """All keys of `user`, main key first (``get_user``'s ``api_keys``)."""
    extra = UserApiKey.objects.filter(user=user)
    if not include_expired:
        now = timezone.now()
        extra = [k for k in extra if not k.is_expired(now)]
    return [user.api_key] + [k.api_key for k in extra]


def do_create_api_key(user: User, description: str, lifetime_minutes: int = 0) -> UserApiKey:
    """A new additional key for `user`; `lifetime_minutes` 0 means it never expires."""
    description = (description or "").strip()
    if not description:
        from django.core.exceptions import ValidationError

        raise ValidationError("Please describe what the key is for.")
    expires = timezone.now() + timedelta(minutes=lifetime_minutes) if lifetime_minutes > 0 else None
    return UserApiKey.objects.create(user=user, description=description[:255], expires=expires)


def do_delete_api_key(user: User, key_id: int) -> bool:
    """Delete one of `user`'s additional keys; False if they have no such key."""
    return UserApiKey.objects.filter(user=user, pk=key_id).delete()[0] > 0


def do_reset_main_key(user: User) -> str:
    with transaction.atomic():
        return user.reset_api_key()
