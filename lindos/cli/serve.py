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
    if host in ("0.0.0.0", "::", "127.0.0.1", "::1", ""):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def create_server(config, application, host: str, port: int, threads: int):
    """Bind the port; a busy or forbidden port is a one-line CommandError."""
    import waitress

    from lindos.cli import CommandError

    try:
        return waitress.create_server(
            application, host=host, port=port, threads=threads,
            max_request_body_size=config.max_body_size,
            # Pushes stream large bodies; don't let waitress buffer them in RAM.
            inbuf_overflow=1 << 20, outbuf_overflow=1 << 20,
            channel_timeout=300, ident="Lindos")
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def run(args):
    from lindos.background.runner import start_background_work
    from lindos.cli.db_upgrade import migrate

    from django.db import DatabaseError

    from lindos.cli import CommandError
    from lindos.dburl import redact_password

    config = args.lindos_config
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
    start_background_work(config)
    print(f"Lindos is running at {shown_url(host, getattr(server, 'effective_port', port))}", flush=True)
    if admin_password:
        print(f"Log in as the first admin: username '{FIRST_ADMIN}', password '{admin_password}' "
              "(change it under My account).", flush=True)
    else:
        print("Log in with an admin account (create one with: lindos create-user --admin).", flush=True)
    try:
        server.run()
    finally:
        server.close()
    return 0
