"""``lindos repo-create``: create a repository."""

NAME = "repo-create"
HELP = "create a repository"


def add_arguments(parser):
    pass


def run(args):
    from lindos.cli import CommandError

    raise CommandError("repo-create is not implemented yet")
