"""``lindos search-reindex``: rebuild the search index.

Every repository (or those named) is dropped from the index and indexed
again from its branches on disk, one after the other, so searches keep
answering meanwhile (with what is not rebuilt yet).  ``--update`` only
brings each repository up to date, as the background worker does after a
push.  A progress bar is drawn when stdout is a terminal; otherwise each
repository is one plain line, fit for logs.
"""

import sys
import time

NAME = "search-reindex"
HELP = "rebuild the full-text search index of every repository (or of those named)"


def add_arguments(parser):
    parser.add_argument("repositories", nargs="*", metavar="REPO", help="repository names (default: all)")
    parser.add_argument(
        "--update",
        action="store_true",
        help="only index what changed since the last indexing, instead of rebuilding",
    )


def run(args, out=None):
    from lindos.cli import CommandError
    from lindos.cli.repo_scan import progress_bar
    from lindos.repos.models import Repository
    from lindos.search.indexer import do_index_repository

    out = out or sys.stdout
    rows = Repository.objects.order_by("name")
    if args.repositories:
        rows = rows.filter(name__in=args.repositories)
        missing = sorted(set(args.repositories) - set(rows.values_list("name", flat=True)))
        if missing:
            raise CommandError(f"no repository named {', '.join(missing)}")
    repositories = list(rows.values_list("pk", "name"))
    tty = out.isatty()
    started = time.monotonic()
    files = commits = failed = 0
    for i, (pk, name) in enumerate(repositories, 1):
        if tty:
            out.write(progress_bar(i - 1, len(repositories), name))
            out.flush()
        try:
            report = do_index_repository(pk, full=not args.update)
        except Exception as exc:  # one broken repository must not stop the others
            failed += 1
            line = f"failed {name}: {' '.join(str(exc).split())}"
        else:
            if report is None:
                failed += 1
                line = f"skipped {name}: not readable on disk"
            else:
                files += report.files_added
                commits += report.commits
                line = f"indexed {name}: {report.files_added} file(s), {report.commits} commit(s)"
        if tty:
            if not line.startswith("indexed"):
                out.write("\n" + line + "\n")
            out.write(progress_bar(i, len(repositories), name))
            out.flush()
        else:
            print(line, file=out)
    if tty and repositories:
        out.write("\n")
    print(
        f"Indexed {len(repositories) - failed} of {len(repositories)} repositories: {files} file(s), "
        f"{commits} commit(s) in {time.monotonic() - started:.1f} s.",
        file=out,
    )
    return 1 if failed else 0
