"""Creating accounts: one place for the web form, the admin page and the CLI."""

from django.db import transaction

from lindos.accounts.models import User
from lindos.notifications import notify
from lindos.notifications.events import UserRegistered


def do_create_user(
    *,
    username,
    email,
    password,
    first_name="",
    last_name="",
    is_admin=False,
    is_active=True,
    actor=None,
    self_registered=False,
    password_hash=None,
) -> User:
    """Create a user; a self-registration tells every admin (type ``registration``).
    ``password_hash``: an already hashed password (a confirmed registration's)."""
    with transaction.atomic():
        user = User(
            username=username,
            email=email.strip(),
            first_name=first_name,
            last_name=last_name,
            is_superuser=is_admin,
            is_staff=is_admin,
            is_active=is_active,
        )
        if password_hash is not None:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
        if self_registered:
            notify(UserRegistered(actor_id=user.pk, user_id=user.pk))
    return user
