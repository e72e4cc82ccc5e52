"""``lindos set-password USERNAME``: give a user a new password from the
shell, e.g. an admin who forgot theirs (the web's reset needs working mail).
The web form's password rules apply."""

import getpass
import sys

NAME = "set-password"
HELP = "set a user's password (e.g. a forgotten admin password)"


def add_arguments(parser):
    parser.add_argument("username")
    parser.add_argument("--password", help="the new password (asked for on a terminal when omitted)")


def ask_password(args) -> str:
    """The password from --password, or typed twice on a terminal."""
    from lindos.cli import CommandError

    if args.password:
        return args.password
    if not sys.stdin.isatty():
        raise CommandError("--password is required")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("New password (again): "):
        raise CommandError("the passwords do not match")
    return first


def validated_password(password: str, user=None) -> str:
    """The web forms' rules (AUTH_PASSWORD_VALIDATORS), as one error line."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from lindos.cli import CommandError

    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise CommandError("password: " + " ".join(exc.messages))
    return password


def run(args):
    from lindos.accounts.models import User
    from lindos.cli import CommandError

    user = User.objects.filter(username__iexact=args.username).first()
    if user is None:
        raise CommandError(f"no such user: {args.username!r}")
    user.set_password(validated_password(ask_password(args), user))
    user.save(update_fields=["password"])
    print(f"Password of {user.username} changed.")
    return 0
