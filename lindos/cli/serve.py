"""``lindos serve``: run Lindos with the production WSGI server (waitress).

On the embedded default it also migrates the database, creates the first
admin when there is no user yet, and runs the background worker in-process.
"""

import logging
import secrets

NAME = "serve"
HELP = "run the web server (and, unless use_celery, the background worker)"

log = logging.getLogger(__name__)


def add_arguments(parser):
    parser.add_argument("--host", help="address to listen on (default: [server:main] host)")
    parser.add_argument("--port", type=int, help="port to listen on (default: [server:main] port)")
    parser.add_argument("--threads", type=int, default=8, help="request threads (default 8)")
    parser.add_argument("--no-migrate", action="store_true",
                        help="don't upgrade the database schema at start")


def ensure_first_admin() -> str | None:
    """Create user ``admin`` with a random password when there is no user at
    all; return the password so it can be shown once."""
    from django.db import connections

    from lindos.accounts.models import User
    from lindos.accounts.registration import do_create_user

    try:
        if User.objects.exists():
            return None
        password = secrets.token_urlsafe(12)
        do_create_user(username="admin", email="admin@localhost", password=password,
                       first_name="Administrator", is_admin=True)
        return password
    finally:
        connections.close_all()


def run(args):
    import waitress

    from lindos.background.runner import start_background_work
    from lindos.cli.db_upgrade import migrate

    config = args.lindos_config
    if not args.no_migrate:
        migrate(verbosity=0)
    admin_password = ensure_first_admin()
    from lindos.wsgi import application

    start_background_work(config)
    host = args.host or config.server_host
    port = args.port if args.port is not None else config.server_port
    shown_host = "localhost" if host in ("0.0.0.0", "::", "127.0.0.1") else host
    print(f"Lindos is running at http://{shown_host}:{port}/", flush=True)
    if admin_password:
        print(f"Log in as the first admin: username 'admin', password '{admin_password}' "
              "(change it under My account).", flush=True)
    else:
        print("Log in with an admin account (create one with: lindos create-user --admin).", flush=True)
    waitress.serve(application, host=host, port=port, threads=args.threads,
                   max_request_body_size=config.max_body_size,
                   # Pushes stream large bodies; don't let waitress buffer them in RAM.
                   inbuf_overflow=1 << 20, outbuf_overflow=1 << 20,
                   channel_timeout=300, ident="Lindos", _quiet=False)
    return 0
