"""``lindos send-test-email``: send a test email through the outbox."""

NAME = "send-test-email"
HELP = "send a test email through the outbox"


def add_arguments(parser):
    pass


def run(args):
    from lindos.cli import CommandError

    raise CommandError("send-test-email is not implemented yet")
