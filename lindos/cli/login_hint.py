"""What ``lindos serve`` says about logging in on a later start (not a
command: the first start prints the generated admin password instead)."""

from __future__ import annotations


def build_login_hint(admin_usernames: list[str]) -> str:
    """One line: who can log in as an admin, and the way back in for an
    admin who forgot their password; or how to make the first admin."""
    if not admin_usernames:
        return "No active admin account: create one with: lindos create-user --admin"
    shown = ", ".join(admin_usernames[:3]) + (", ..." if len(admin_usernames) > 3 else "")
    return f"Log in with an admin account ({shown}); forgotten password: lindos set-password USERNAME."


def login_hint() -> str:
    """`build_login_hint` for the admins in the database (the connection is
    closed before returning, like every start-up read)."""
    from django.db import connections

    from lindos.accounts.models import User

    try:
        names = list(
            User.objects.filter(is_superuser=True, is_active=True)
            .order_by("username")
            .values_list("username", flat=True)[:4]
        )
    finally:
        connections.close_all()
    return build_login_hint(names)
