"""``lindos repo-create``: create a repository."""

NAME = "repo-create"
HELP = "create a repository"


def add_arguments(parser):
    parser.add_argument("name", metavar="NAME", help="repository name, may contain groups: team/project")
    parser.add_argument(
        "--type", dest="kind", choices=["git", "hg"], default="git", help="repository type (default git)"
    )
    parser.add_argument("--owner", required=True, metavar="USERNAME", help="the owner's username")
    parser.add_argument("--private", action="store_true", help="visible only to people given access")
    parser.add_argument("--description", default="", metavar="TEXT")


def run(args):
    from django.core.exceptions import ValidationError

    from lindos.accounts.models import User
    from lindos.cli import CommandError
    from lindos.repos.actions import do_create_repository
    from lindos.repos.storage import UnsafePath
    from lindos.vcs.errors import VCSError

    owner = User.objects.filter(username__iexact=args.owner, is_active=True).first()
    if owner is None:
        raise CommandError(f"there is no active user {args.owner!r}")
    name = args.name.strip().strip("/")
    try:
        repo = do_create_repository(
            name=name, kind=args.kind, owner=owner, private=args.private, description=args.description
        )
    except ValidationError as exc:
        raise CommandError(f"cannot create {name!r}: " + " ".join(exc.messages))
    except (UnsafePath, VCSError, OSError) as exc:
        raise CommandError(f"cannot create {name!r}: {exc}")
    print(
        f"Created {'private ' if repo.private else ''}{repo.kind} repository {repo.name} "
        f"owned by {owner.username} at {repo.path}"
    )
    return 0
