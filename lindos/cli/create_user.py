"""``lindos create-user``: add a user from the shell (prompts on a terminal)."""

import getpass
import sys

NAME = "create-user"
HELP = "create a user account"


def add_arguments(parser):
    parser.add_argument("--username")
    parser.add_argument("--email")
    parser.add_argument("--password")
    parser.add_argument("--firstname", default="")
    parser.add_argument("--lastname", default="")
    parser.add_argument("--admin", action="store_true", help="give the user the admin flag")


def ask_missing(args) -> None:
    from lindos.cli import CommandError

    interactive = sys.stdin.isatty()
    for name in ("username", "email"):
        if not getattr(args, name):
            if not interactive:
                raise CommandError(f"--{name} is required")
            setattr(args, name, input(f"{name.capitalize()}: ").strip())
    if not args.password:
        if not interactive:
            raise CommandError("--password is required")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords do not match")
        args.password = first


def run(args):
    from django import forms

    from lindos.accounts.forms import UsernameField, clean_unique_email
    from lindos.accounts.models import User
    from lindos.accounts.registration import do_create_user
    from lindos.cli import CommandError
    from lindos.cli.set_password import validated_password

    ask_missing(args)
    try:
        username = UsernameField().clean(args.username)
        email = clean_unique_email(forms.EmailField().clean(args.email))
    except forms.ValidationError as exc:
        raise CommandError("; ".join(exc.messages))
    if User.objects.filter(username__iexact=username).exists():
        raise CommandError(f"user {username!r} already exists")
    validated_password(
        args.password,
        User(username=username, email=email, first_name=args.firstname, last_name=args.lastname),
    )
    user = do_create_user(
        username=username,
        email=email,
        password=args.password,
        first_name=args.firstname,
        last_name=args.lastname,
        is_admin=args.admin,
    )
    print(f"Created {'admin ' if user.is_superuser else ''}user {user.username}.")
    return 0
