"""Proving an email address before it becomes an account's, so that no form
tells whether an address is in use.

Registering and changing one's address both answer "we sent a link to the
address" whatever the case.  If the address is free, the link goes to it and
following it finishes the registration (``PendingRegistration``) or the
change (a signed token: account, old and new address).  If it already
belongs to an account, that account's owner gets a warning instead
(``AddressInUse``) and nothing else happens.

Mail one person can make Lindos send to others is limited here (counted in
``ratelimit`` whether or not the address is in use, so the limits tell
nothing either): per client address, and per address mailed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from lindos.accounts import ratelimit
from lindos.accounts.models import PendingRegistration, User
from lindos.accounts.ratelimit import Limit
from lindos.accounts.registration import do_create_user
from lindos.notifications import notify
from lindos.notifications.events import AddressConfirmationRequested, AddressInUse

CONFIRM_SECONDS = 24 * 3600
REGISTRATIONS_PER_CLIENT = Limit("register-client", 5, 3600)
RESETS_PER_CLIENT = Limit("reset-client", 10, 3600)
# Links and warnings to one address, whoever asks (registration, change, reset).
MAILS_PER_ADDRESS = Limit("address-mail", 5, 3600)
EMAIL_CHANGES_PER_USER = Limit("email-change-user", 5, 3600)
EMAIL_CHANGE_SALT = "lindos.accounts.email_change"

_TOO_MANY = {
    REGISTRATIONS_PER_CLIENT.scope: "Too many registrations from your address. Try again in {wait}.",
    RESETS_PER_CLIENT.scope: "Too many reset requests from your address. Try again in {wait}.",
    MAILS_PER_ADDRESS.scope: "Too many mails to that address already. Try again in {wait}.",
    EMAIL_CHANGES_PER_USER.scope: "Too many address changes. Try again in {wait}.",
}


class TooMany(Exception):
    """A mail limit is reached; the message says which and for how long."""

    def __init__(self, limit: Limit, retry_after: int):
        self.retry_after = retry_after
        super().__init__(_TOO_MANY[limit.scope].format(wait=ratelimit.in_minutes(retry_after)))


def _count(limit: Limit, identity: str) -> None:
    wait = ratelimit.exceeded(limit, identity)
    if wait:
        raise TooMany(limit, wait)


def owner_of(address: str) -> User | None:
    return User.objects.filter(email__iexact=address.strip()).first()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def count_reset_request(email: str, client_address: str | None) -> None:
    """A password reset link asked for (counted whether or not the address
    is anyone's).  Raises TooMany."""
    _count(RESETS_PER_CLIENT, ratelimit.client_network(client_address))
    _count(MAILS_PER_ADDRESS, email.strip().lower())


# --- registration -------------------------------------------------------------


def do_request_registration(
    *, username, email, password, first_name, last_name, client_address, confirm_url_for
) -> None:
    """Mail a link finishing the registration, or warn the address's owner.
    `confirm_url_for(token)` makes the link.  Raises TooMany."""
    email = email.strip()
    _count(REGISTRATIONS_PER_CLIENT, ratelimit.client_network(client_address))
    _count(MAILS_PER_ADDRESS, email.lower())
    owner = owner_of(email)
    with transaction.atomic():
        if owner is not None:
            notify(AddressInUse(actor_id=None, user_id=owner.pk, purpose="registration"))
            return
        now = timezone.now()
        PendingRegistration.objects.filter(expires__lte=now).delete()
        token = secrets.token_urlsafe(32)
        PendingRegistration.objects.create(
            token_hash=_token_hash(token),
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            password=make_password(password),
            expires=now + timedelta(seconds=CONFIRM_SECONDS),
        )
        name = f"{first_name} {last_name}".strip()
        notify(
            AddressConfirmationRequested(
                actor_id=None,
                address=email,
                username=username,
                purpose="registration",
                confirm_url=confirm_url_for(token),
                name=name,
            )
        )


def pending_registration(token: str) -> PendingRegistration | None:
    """The live registration a link's token names, or None."""
    if not token or len(token) > 100:
        return None
    return PendingRegistration.objects.filter(
        token_hash=_token_hash(token), expires__gt=timezone.now()
    ).first()


class ConfirmationRefused(Exception):
    """The link is good but what it asks for can no longer be done."""


def do_confirm_registration(pending: PendingRegistration, *, active: bool) -> User:
    """Make the account (tells the admins); raises ConfirmationRefused if its
    username or address was taken meanwhile.  The link works once."""
    from lindos.accounts.forms import RESERVED_USERNAMES

    with transaction.atomic():
        PendingRegistration.objects.filter(pk=pending.pk).delete()
        if (
            pending.username.lower() in RESERVED_USERNAMES
            or User.objects.filter(username__iexact=pending.username).exists()
        ):
            raise ConfirmationRefused(
                f"The username {pending.username} was taken meanwhile; "
                "please register again with another one."
            )
        if owner_of(pending.email) is not None:
            raise ConfirmationRefused(
                "This address belongs to an account already; log in, or reset its password."
            )
        try:
            with transaction.atomic():
                user = do_create_user(
                    username=pending.username,
                    email=pending.email,
                    password=None,
                    first_name=pending.first_name,
                    last_name=pending.last_name,
                    is_active=active,
                    self_registered=True,
                    password_hash=pending.password,
                )
        except IntegrityError:  # the same name or address, a moment ago
            raise ConfirmationRefused("The username or address was taken meanwhile; please register again.")
    return user


# --- changing one's address ---------------------------------------------------


def do_request_email_change(user: User, new_email: str, *, confirm_url_for) -> None:
    """Mail a link to `new_email` that makes it `user`'s address, or warn
    its owner.  Raises TooMany."""
    new_email = new_email.strip()
    _count(EMAIL_CHANGES_PER_USER, str(user.pk))
    _count(MAILS_PER_ADDRESS, new_email.lower())
    owner = owner_of(new_email)
    with transaction.atomic():
        if owner is not None:
            notify(AddressInUse(actor_id=user.pk, user_id=owner.pk, purpose="email_change"))
            return
        token = signing.dumps(
            {"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT, compress=True
        )
        notify(
            AddressConfirmationRequested(
                actor_id=user.pk,
                address=new_email,
                username=user.username,
                purpose="email_change",
                confirm_url=confirm_url_for(token),
                user_id=user.pk,
                name=user.get_full_name(),
            )
        )


def email_change(token: str) -> tuple[User, str] | None:
    """(account, new address) a live link's token asks for, or None (bad,
    expired, or the account's address changed since: a link works once)."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=CONFIRM_SECONDS)
        user = User.objects.filter(pk=int(data["u"]), is_active=True).first()
        old, new = str(data["old"]), str(data["new"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or user.email != old:
        return None
    return user, new


def do_confirm_email_change(user: User, new_email: str) -> None:
    """Raises ConfirmationRefused if the address became someone's meanwhile."""
    other = owner_of(new_email)
    if other is not None and other.pk != user.pk:
        raise ConfirmationRefused("This address belongs to another account now; nothing was changed.")
    try:
        with transaction.atomic():
            user.email = new_email
            user.save(update_fields=["email"])
    except IntegrityError:
        raise ConfirmationRefused("This address belongs to another account now; nothing was changed.")
