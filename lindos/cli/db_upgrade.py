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
            "(see README.md, 'Upgrading from Kallithea')"
        )


def prepare_folders() -> None:
    """Create the folders the configuration points into (a step of serve and
    db-upgrade, never of loading the file: `lindos check` must not leave
    folders or an empty database behind)."""
    from django.conf import settings

    from lindos.cli import CommandError
    from lindos.config import ConfigError, ensure_data_folders

    try:
        ensure_data_folders(settings.LINDOS)
    except ConfigError as exc:
        raise CommandError(str(exc))


def progress_command(write):
    """Django's migrate command, reporting each step as one line through
    `write` (``Applying review.0003_x ... done (0.2 s)``) instead of Django's
    own multi-part output."""
    import time

    from django.core.management.commands.migrate import Command

    class ProgressCommand(Command):
        def migration_progress_callback(self, action, migration=None, fake=False):
            if action in ("apply_start", "unapply_start"):
                self._started = time.monotonic()
                self._step = f"{'Applying' if action == 'apply_start' else 'Unapplying'} {migration}"
            elif action in ("apply_success", "unapply_success"):
                write(f"{self._step} ... done ({time.monotonic() - self._started:.1f} s)")

    return ProgressCommand()


def migrate(verbosity: int = 1, write=None) -> int:
    """Bring the schema up to date; return how many steps were applied."""
    from django.core.management import call_command
    from django.db import connections

    steps = []

    def record(line: str) -> None:
        steps.append(line)
        if write:
            write(line)

    prepare_folders()
    try:
        refuse_foreign_database()
        # verbosity 0 silences Django's own lines; the callback still runs.
        call_command(progress_command(record), interactive=False, verbosity=0)
    finally:
        connections.close_all()  # nothing opened here is reused later
    return len(steps)


def run(args):
    if not migrate(write=lambda line: print(line, flush=True)):
        print("No upgrade step to apply.")
    print("Database is up to date.")
    return 0
