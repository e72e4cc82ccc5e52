"""``lindos import-kallithea --from kallithea.ini``: move a Kallithea
installation's users, repositories, permissions and review history into
Lindos (see ``lindos.kallithea_import``)."""

import sys

NAME = "import-kallithea"
HELP = "import a Kallithea 0.4-0.7 database (users, repositories, reviews) into an empty Lindos database"


def add_arguments(parser):
    parser.add_argument(
        "--from", dest="kallithea_ini", required=True, metavar="KALLITHEA_INI", help="Kallithea's ini file"
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="import into a database that is not empty; a second run adds nothing",
    )
    parser.add_argument(
        "--repos",
        metavar="DIR",
        help="the folder holding Kallithea's repositories now, when it is not the one Kallithea knew",
    )


def run(args):
    from lindos.cli import CommandError
    from lindos.cli.db_upgrade import migrate
    from lindos.kallithea_import.progress import Progress
    from lindos.kallithea_import.runner import ImportRefused, do_import, render_summary
    from lindos.kallithea_import.source import KNOWN_REVISIONS

    migrate(verbosity=0)
    ask = input if sys.stdin.isatty() else None
    try:
        summary, run = do_import(
            args.kallithea_ini, merge=args.merge, repos=args.repos, ask=ask, progress=Progress()
        )
    except ImportRefused as exc:
        raise CommandError(str(exc))
    print(render_summary(summary, KNOWN_REVISIONS[run.schema_version]))
    return 0
