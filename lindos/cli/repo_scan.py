"""``lindos repo-scan``: pick up repositories already on disk.

Every git or hg repository below ``base_path`` without a database row gets
one, owned by the first admin (or ``--owner``), and its history indexes
(git's commit-graph) as a push would give it. A progress bar is drawn
when stdout is a terminal; otherwise each repository is one plain line,
fit for logs.
"""

import sys

NAME = "repo-scan"
HELP = "pick up repositories already on disk"


def add_arguments(parser):
    parser.add_argument(
        "--owner", metavar="USERNAME", help="owner of the repositories found (default: the first admin)"
    )
    parser.add_argument(
        "--private",
        action="store_true",
        help="make the repositories found private (default: public, with the site's default permission)",
    )


def progress_bar(done: int, total: int, label: str, width: int = 30) -> str:
    filled = width * done // total if total else width
    return f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} {label[:40]:<40}"


def find_owner(username):
    from lindos.accounts.models import User
    from lindos.cli import CommandError

    if username:
        owner = User.objects.filter(username__iexact=username, is_active=True).first()
        if owner is None:
            raise CommandError(f"there is no active user {username!r}")
        return owner
    owner = User.objects.admins().order_by("pk").first()
    if owner is None:
        raise CommandError(
            "there is no admin to own the repositories; create one with: lindos create-user --admin"
        )
    return owner


def refresh_indexes(row) -> None:
    """What a push would do: a repository brought in from elsewhere (a
    Kallithea move) gets git's commit-graph now, so its changelog reads
    only the page it shows from the first view on."""
    from lindos.vcs import open_repository
    from lindos.vcs.errors import VCSError

    try:
        open_repository(row.path).refresh_indexes()
    except (VCSError, OSError):
        pass  # the changelog still works, reading by date until a push


def run(args, out=None):
    from lindos.repos.actions import do_register_repository
    from lindos.repos.models import Repository
    from lindos.repos.scan import find_repositories
    from lindos.repos.storage import base_path

    out = out or sys.stdout
    owner = find_owner(args.owner)
    found = list(find_repositories())
    known = set(Repository.objects.values_list("name", flat=True))
    tty = out.isatty()
    added, skipped = [], []
    for i, item in enumerate(found, 1):
        if item.name in known:
            status = None
        elif item.problem:
            skipped.append(item)
            status = f"skipped {item.name}: {item.problem}"
        else:
            row = do_register_repository(name=item.name, kind=item.kind, owner=owner, private=args.private)
            refresh_indexes(row)
            added.append(item)
            status = f"added {item.name} ({item.kind})"
        if tty:
            out.write(progress_bar(i, len(found), item.name))
            if status and status.startswith("skipped"):
                out.write("\n" + status + "\n")
            out.flush()
        elif status:
            print(status, file=out)
    if tty and found:
        out.write("\n")
    missing = sorted(known - {f.name for f in found})
    print(
        f"Scanned {base_path()}: {len(found)} repositories, {len(added)} added, "
        f"{len(found) - len(added) - len(skipped)} already known, {len(skipped)} skipped.",
        file=out,
    )
    if missing:
        print(f"{len(missing)} in the database but not on disk: {', '.join(missing)}", file=out)
    return 0
