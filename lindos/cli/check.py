"""``lindos check``: check configuration, database, SMTP and broker."""

NAME = "check"
HELP = "check configuration, database, SMTP and broker"


def add_arguments(parser):
    pass


def run(args):
    from lindos.cli import CommandError

    raise CommandError("check is not implemented yet")
