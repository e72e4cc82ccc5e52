"""``lindos repo-scan``: pick up repositories already on disk."""

NAME = "repo-scan"
HELP = "pick up repositories already on disk"


def add_arguments(parser):
    pass


def run(args):
    from lindos.cli import CommandError

    raise CommandError("repo-scan is not implemented yet")
