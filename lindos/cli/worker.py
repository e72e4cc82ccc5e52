"""``lindos worker``: run a Celery worker (``use_celery = true``).

The worker delivers the outbox rows web processes announce through the
broker, and sweeps the outbox every ``celery.sweep_interval`` seconds
(default 60) for rows whose announcement was lost.  Run as many as you like,
on as many machines: a row is claimed in the database before it is sent.
"""

NAME = "worker"
HELP = "run a Celery worker delivering mail (use_celery = true)"


def add_arguments(parser):
    parser.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        help="tasks run at once (default: celery.worker_concurrency, else the CPU count)",
    )
    parser.add_argument(
        "--pool", choices=["prefork", "threads", "solo"], help="Celery execution pool (default: prefork)"
    )
    parser.add_argument("-n", "--hostname", help="worker name, unique per machine (default: lindos@HOST)")
    parser.add_argument("-l", "--loglevel", default="INFO", help="Celery's log level (default INFO)")


def worker_argv(args) -> list[str]:
    argv = [
        "worker",
        "--loglevel",
        args.loglevel,
        "--without-mingle",
        "--without-gossip",
        "--hostname",
        args.hostname or "lindos@%h",
    ]
    if args.concurrency is not None:
        if args.concurrency < 1:
            from lindos.cli import CommandError

            raise CommandError("--concurrency must be at least 1")
        argv += ["--concurrency", str(args.concurrency)]
    if args.pool:
        argv += ["--pool", args.pool]
    return argv


def run(args):
    from lindos.cli import CommandError

    config = args.lindos_config
    if not config.use_celery:
        raise CommandError(
            f"{config.path}: use_celery is false: mail is delivered by "
            "'lindos serve' itself (set use_celery = true and "
            "celery.broker_url to run workers)"
        )
    argv = worker_argv(args)
    # Read settings the way every process does at start: the connection used
    # is closed before any task runs (Kallithea lost mail when it was not).
    from lindos.appsettings.current import load_app_settings_at_startup

    load_app_settings_at_startup()
    from lindos.celery_app import app

    app.worker_main(argv)
    return 0
