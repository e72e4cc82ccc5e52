"""``lindos serve``: run Lindos with the production WSGI server (waitress).

On the embedded default it also migrates the database, creates the first
admin when there is no user yet, and runs the background worker in-process.
The URL and the first admin's login are printed once the port is bound, so
what is printed is where Lindos really answers.
"""

import logging
import secrets

NAME = "serve"
HELP = "run the web server (and, unless use_celery, the background worker)"

FIRST_ADMIN = "admin"

log = logging.getLogger(__name__)


def add_arguments(parser):
    parser.add_argument("--host", help="address to listen on (default: [server:main] host)")
    parser.add_argument("--port", type=int, help="port to listen on (default: [server:main] port; 0 picks a free one)")
    parser.add_argument("--threads", type=int, default=8, help="request threads (default 8)")
    parser.add_argument("--no-migrate", action="store_true",
                        help="don't upgrade the database schema at start")


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
            do_create_user(username=FIRST_ADMIN, email="admin@localhost", password=password,
                           first_name="Administrator", is_admin=True)
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
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS,
                              *(n for n in names_for_bind(host) if n not in settings.ALLOWED_HOSTS)]


def warn_without_canonical_url(config) -> None:
    import sys

    from django.conf import settings

    if not config.canonical_url:
        print("lindos: warning: canonical_url is not set: links in mail are built on the address "
              f"each action came in on (hosts allowed: {', '.join(settings.ALLOWED_HOSTS)}); "
              "set canonical_url to the address users reach Lindos at", file=sys.stderr, flush=True)


def create_server(config, application, host: str, port: int, threads: int):
    """Bind the port; a busy or forbidden port is a one-line CommandError.

    Bodies: ``max_body_size`` for proven pushes, ``max_form_body_size``
    for everything else (``lindos.cli.serve_limits``). Buffers: a body up
    to the small limit stays in memory (so a refused one never touches the
    disk), a bigger one goes to a temporary file; a response keeps at most
    1 MiB queued per connection (waitress's default of 16 MiB made sixteen
    slow downloads cost 256 MiB).
    """
    import waitress

    from lindos.cli import CommandError
    from lindos.cli.serve_limits import install_body_limits

    try:
        server = waitress.create_server(
            application, host=host, port=port, threads=threads,
            max_request_body_size=config.max_body_size,
            inbuf_overflow=max(1 << 20, config.max_form_body_size + (1 << 16)),
            outbuf_overflow=1 << 20, outbuf_high_watermark=1 << 20,
            channel_timeout=300, ident="Lindos")
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    install_body_limits(server, small=config.max_form_body_size, big=config.max_body_size)
    return server


def run(args):
    from lindos.background.runner import start_background_work
    from lindos.cli.db_upgrade import migrate, prepare_folders

    from django.db import DatabaseError

    from lindos.cli import CommandError
    from lindos.dburl import redact_password

    config = args.lindos_config
    prepare_folders()
    try:
        if not args.no_migrate:
            migrate(verbosity=0)
        admin_password = ensure_first_admin()
    except DatabaseError as exc:
        raise CommandError(f"database {redact_password(config.database_url)!r}: {' '.join(str(exc).split())}"
                           + (" (run: lindos db-upgrade)" if args.no_migrate else ""))
    from lindos.wsgi import application

    host = args.host or config.server_host
    port = args.port if args.port is not None else config.server_port
    server = create_server(config, application, host, port, args.threads)
    trust_bound_host(config, host)
    start_background_work(config)
    bound = (getattr(server, "effective_host", host), getattr(server, "effective_port", port))
    print(f"Lindos is running at {shown_url(*bound)}", flush=True)
    warn_without_canonical_url(config)
    if admin_password:
        print(f"Log in as the first admin: username '{FIRST_ADMIN}', password '{admin_password}' "
              "(change it under My account).", flush=True)
    else:
        from lindos.cli.login_hint import login_hint

        print(login_hint(), flush=True)
    try:
        server.run()
    finally:
        server.close()
    return 0
