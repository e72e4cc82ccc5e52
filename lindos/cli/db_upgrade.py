"""``lindos db-upgrade``: create or migrate the database schema."""

NAME = "db-upgrade"
HELP = "create or upgrade the database schema"


def add_arguments(parser):
    pass


def migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=verbosity)
    connections.close_all()  # nothing opened here is reused later


def run(args):
    migrate()
    print("Database is up to date.")
    return 0
