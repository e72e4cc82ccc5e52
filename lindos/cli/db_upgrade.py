"""``lindos db-upgrade``: create or migrate the database schema."""

NAME = "db-upgrade"
HELP = "create or upgrade the database schema"

# Tables only a Kallithea (or RhodeCode) database has.  A Kallithea user keeps
# their .ini file, and with it sqlalchemy.url: Lindos must not write its own
# tables into that database, so it stops and says so.
KALLITHEA_TABLES = {"users", "repositories", "user_to_perm", "changeset_comments"}


def add_arguments(parser):
    pass


def refuse_foreign_database() -> None:
    from django.db import connection

    from lindos.cli import CommandError

    tables = set(connection.introspection.table_names())
    if KALLITHEA_TABLES <= tables and "django_migrations" not in tables:
        raise CommandError(
            f"the database in sqlalchemy.url ({connection.settings_dict['NAME']}) is a "
            "Kallithea database; give Lindos a new, empty database of its own "
            "(see README.md, 'Upgrading from Kallithea')")


def migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command
    from django.db import connections

    try:
        refuse_foreign_database()
        call_command("migrate", interactive=False, verbosity=verbosity)
    finally:
        connections.close_all()  # nothing opened here is reused later


def run(args):
    migrate()
    print("Database is up to date.")
    return 0
