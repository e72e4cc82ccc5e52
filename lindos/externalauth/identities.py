"""Accounts vouched for by an outside source (LDAP, a trusted front-end).

The rules, the same for every source:

- **One source per account.** An account linked to a source
  (``ExternalIdentity``) logs in only through it; an account without a link
  is internal and only its Lindos password logs it in.  So a directory entry
  (or a front-end header) named like an existing internal account never
  takes it over, the local admin included: that login is refused, and an
  admin who wants the directory to own the account says so on purpose
  (as Kallithea did: an account's ``extern_type`` picked the one plugin that
  could log it in).
- **Created on first login**, active, with no usable password, its names and
  email from the source; refreshed from the source at each later login.
- **Disabled in Lindos means refused**, whatever the source says.
- Every account needs a unique email address.  When the source gives none,
  or one another account already has, the account gets
  ``USERNAME@SOURCE.invalid`` (a name that never resolves: no mail leaves)
  and the user can set a real one on My account.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from lindos.accounts.forms import RESERVED_USERNAMES, username_validator
from lindos.accounts.models import User
from lindos.externalauth.models import ExternalIdentity

log = logging.getLogger(__name__)

NAME_LENGTH = 150  # Django's first_name / last_name
EMAIL_LENGTH = 254


def usable_username(name: str) -> bool:
    """Whether an outside source may name an account ``name``: Lindos's own
    rule for usernames (letters, digits, ``._-``, at most 64), checked
    before the source is asked, so nothing else ever reaches a directory
    search."""
    try:
        username_validator(name)
    except ValidationError:
        return False
    return name.lower() not in RESERVED_USERNAMES


def find_user(username: str) -> User | None:
    if not username or "\x00" in username:  # PostgreSQL refuses NUL in text
        return None
    return User.objects.select_related("external_identity").filter(username__iexact=username).first()


def source_of(user: User) -> str:
    try:
        return user.external_identity.source
    except ExternalIdentity.DoesNotExist:
        return "internal"


def _clip(value: str | None, length: int) -> str:
    return " ".join((value or "").split())[:length]


def _address(email: str | None, user: User | None, username: str, source: str) -> str:
    """The address to keep (see module doc)."""
    email = (email or "").strip()
    if email and len(email) <= EMAIL_LENGTH:
        try:
            validate_email(email)
        except ValidationError:
            email = ""
    else:
        email = ""
    taken = User.objects.filter(email__iexact=email)
    if user is not None and user.pk is not None:
        taken = taken.exclude(pk=user.pk)
    if email and not taken.exists():
        return email
    if email:
        log.warning(
            "%s login of %r: address %r belongs to another account, not used", source, username, email
        )
    if user is not None and user.email:
        return user.email
    return f"{username.lower()}@{source}.invalid"


def do_sync_external_user(
    source: str,
    username: str,
    extern_name: str,
    *,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User | None:
    """The active account ``source`` just vouched for as ``username``,
    created on its first login and refreshed from the source's values;
    None when the rules refuse it (an internal account or another source's
    of that name, a disabled account, a name Lindos cannot hold)."""
    if not usable_username(username):
        log.info("%s login refused: %r is not a valid Lindos username", source, username)
        return None
    user = find_user(username)
    if user is not None and (source_of(user) != source or not user.is_active):
        log.info(
            "%s login refused: %r is %s", source, username, "disabled" if not user.is_active else "not theirs"
        )
        return None
    try:
        with transaction.atomic():
            if user is None:
                user = User(username=username)
                user.set_unusable_password()
                log.info("%s login: creating account %r", source, username)
            user.first_name = _clip(first_name, NAME_LENGTH) or user.first_name
            user.last_name = _clip(last_name, NAME_LENGTH) or user.last_name
            user.email = _address(email, user, username, source)
            user.last_login = timezone.now()
            user.save()
            ExternalIdentity.objects.update_or_create(
                user=user,
                defaults={
                    "source": source,
                    "extern_name": extern_name[:1000],
                    "last_login_at": user.last_login,
                },
            )
    except IntegrityError:
        # Two first logins at once: the other one made the account.
        user = find_user(username)
        if user is None or source_of(user) != source or not user.is_active:
            return None
    return user
