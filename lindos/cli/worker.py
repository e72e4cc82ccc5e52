"""``lindos worker``: run a Celery worker (use_celery = true)."""

NAME = "worker"
HELP = "run a Celery worker (use_celery = true)"


def add_arguments(parser):
    pass


def run(args):
    from lindos.cli import CommandError

    raise CommandError("worker is not implemented yet")
