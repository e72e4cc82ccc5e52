"""``lindos serve``: run Lindos with the production WSGI server (waitress).

On the embedded default it also migrates the database, creates the first
admin when there is no user yet, and runs the background worker in-process.
The URL and the first admin's login are printed once the port is bound, so
what is printed is where Lindos really answers.

The port is bound once, then ``workers`` processes (one per core by
default) serve it, each a waitress hardened against slow and idle clients
(``lindos.webserver``); the first of them also runs the embedded background
worker.  With one worker there is a single process, as before.
"""

import logging
import secrets

NAME = "serve"
HELP = "run the web server (and, unless use_celery, the background worker)"

FIRST_ADMIN = "admin"

log = logging.getLogger(__name__)


def add_arguments(parser):
    parser.add_argument("--host", help="address to listen on (default: [server:main] host)")
    parser.add_argument(
        "--port", type=int, help="port to listen on (default: [server:main] port; 0 picks a free one)"
    )
    parser.add_argument("--threads", type=int, default=8, help="request threads per process (default 8)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes (default: [server:main] workers; 0 or unset: one per core)",
    )
    parser.add_argument(
        "--no-migrate", action="store_true", help="don't upgrade the database schema at start"
    )


def ensure_first_admin() -> str | None:
    """Create user ``admin`` with a random password when there is no user at
    all; return the password so it can be shown once.  The connection used
    is closed before returning (nothing from start-up is reused later)."""
    from django.db import connections, transaction

    from lindos.accounts.models import User
    from lindos.accounts.registration import do_create_user

    try:
        with transaction.atomic():
            if User.objects.exists():
                return None
            password = secrets.token_urlsafe(12)
            do_create_user(
                username=FIRST_ADMIN,
                email="admin@localhost",
                password=password,
                first_name="Administrator",
                is_admin=True,
            )
        return password
    finally:
        connections.close_all()


def shown_url(host: str, port: int) -> str:
    """Where Lindos answers, bound to `host`:`port`: the URL to open, and
    for a wildcard address what it really listens on."""
    from lindos.hosts import WILDCARD_ADDRESSES, base_url

    url = base_url(host, port) + "/"
    if host.strip() in WILDCARD_ADDRESSES:
        url += f" (listening on every interface, {host or '0.0.0.0'} port {port})"
    return url


def trust_bound_host(config, host: str) -> None:
    """``--host`` other than the file's: the names it is reached at are
    trusted too, unless the file lists ``allowed_hosts`` itself."""
    from django.conf import settings

    from lindos.hosts import names_for_bind

    if "allowed_hosts" in config.raw or host == config.server_host:
        return
    settings.ALLOWED_HOSTS = [
        *settings.ALLOWED_HOSTS,
        *(n for n in names_for_bind(host) if n not in settings.ALLOWED_HOSTS),
    ]


def warn_without_canonical_url(config) -> None:
    import sys

    from django.conf import settings

    if not config.canonical_url:
        print(
            "lindos: warning: canonical_url is not set: links in mail are built on the address "
            f"each action came in on (hosts allowed: {', '.join(settings.ALLOWED_HOSTS)}); "
            "set canonical_url to the address users reach Lindos at",
            file=sys.stderr,
            flush=True,
        )


def worker_count(config, requested: int | None) -> int:
    """``--workers``, else ``[server:main] workers``; 0 means one per core."""
    from lindos.webserver.prefork import usable_cores

    count = requested if requested is not None else config.server_workers
    return count if count > 0 else usable_cores()


def bind(host: str, port: int, processes: int = 1):
    """Bind the port, one set of listening sockets per server process; a
    busy or forbidden port is a one-line CommandError."""
    from lindos.cli import CommandError
    from lindos.webserver.waitress_server import bind_socket_sets

    try:
        return bind_socket_sets(host, port, processes)
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def create_server(config, application, host: str, port: int, threads: int):
    """One server as a ``lindos serve`` process runs it, bound to
    ``host:port`` (for tests and embedding): the waitress server of its
    first socket (``run()``, ``close()``, ``effective_port``)."""
    from lindos.webserver.limits import raise_open_files_limit
    from lindos.webserver.waitress_server import Server, server_options

    server = Server(
        application,
        bind(host, port)[0],
        server_options(config, threads, raise_open_files_limit()),
        body_limits=(config.max_form_body_size, config.max_body_size),
    )
    return server.servers[0]


def serve_forever(config, application, sockets, options) -> None:
    """Run one process's server until it is told to stop.  Bodies:
    ``max_body_size`` for proven pushes, ``max_form_body_size`` for
    everything else (``lindos.cli.serve_limits``)."""
    from lindos.webserver.waitress_server import Server

    server = Server(
        application, sockets, options, body_limits=(config.max_form_body_size, config.max_body_size)
    )
    try:
        server.run()
    finally:
        server.close()


def run(args):
    from django.db import DatabaseError, connections

    from lindos.background.runner import ALL, WEB, WORKER, start_background_work
    from lindos.cli import CommandError
    from lindos.cli.db_upgrade import migrate, prepare_folders
    from lindos.dburl import redact_password
    from lindos.webserver.limits import limit_malloc_arenas, raise_open_files_limit
    from lindos.webserver.waitress_server import server_options

    config = args.lindos_config
    limit_malloc_arenas()  # before any thread starts
    prepare_folders()
    try:
        if not args.no_migrate:
            migrate(verbosity=0)
        admin_password = ensure_first_admin()
    except DatabaseError as exc:
        raise CommandError(
            f"database {redact_password(config.database_url)!r}: {' '.join(str(exc).split())}"
            + (" (run: lindos db-upgrade)" if args.no_migrate else "")
        )
    from lindos.wsgi import application

    host = args.host or config.server_host
    port = args.port if args.port is not None else config.server_port
    workers = worker_count(config, args.workers)
    options = server_options(config, args.threads, raise_open_files_limit())
    socket_sets = bind(host, port, workers)
    sockets = socket_sets[0]
    trust_bound_host(config, host)
    print(f"Lindos is running at {shown_url(*sockets[0].getsockname()[:2])}", flush=True)
    warn_without_canonical_url(config)
    if admin_password:
        print(
            f"Log in as the first admin: username '{FIRST_ADMIN}', password '{admin_password}' "
            "(change it under My account).",
            flush=True,
        )
    else:
        from lindos.cli.login_hint import login_hint

        print(login_hint(), flush=True)
    # Nothing opened at start-up may be shared with (or reused by) a child.
    connections.close_all()
    if workers == 1:
        import signal

        from lindos.webserver.prefork import stop_on_sigterm

        signal.signal(signal.SIGTERM, stop_on_sigterm)
        start_background_work(config, ALL)
        serve_forever(config, application, sockets, options)
        return 0
    from lindos.background.crossprocess import WakePipe
    from lindos.webserver.prefork import Supervisor

    log.info("starting %d server processes", workers)
    pipe = None if config.use_celery else WakePipe()

    def child(index: int) -> None:
        start_background_work(config, WORKER if index == 0 else WEB, pipe)
        serve_forever(config, application, socket_sets[index], options)

    return Supervisor(workers, child).run()
