"""``lindos check``: check configuration, links, database, SMTP and broker.

One line per check, ``NAME: ok ...`` or ``NAME: FAILED: reason``; the exit
status is 1 when any check failed.  SMTP is checked as delivery would talk
to it (connect, EHLO, STARTTLS and login when configured) without sending.
"""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit, urlunsplit

NAME = "check"
HELP = "check configuration, database, SMTP and broker"
USES_CONFIG = False  # a broken file is reported as a check, not a crash


def add_arguments(parser):
    from lindos.config import DEFAULT_CONFIG_PATH

    parser.add_argument(
        "-c",
        "--config",
        default=None,
        metavar="FILE",
        help=f"configuration file (default: ./{DEFAULT_CONFIG_PATH})",
    )


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) < 300 else text[:297] + "..."


def refuse_missing_sqlite_file(settings_dict) -> None:
    """Opening a missing SQLite file would create it, empty: a check must
    leave nothing behind, so a missing file is reported instead."""
    import os

    if settings_dict["ENGINE"].endswith("sqlite3") and not os.path.exists(settings_dict["NAME"]):
        raise RuntimeError(f"{settings_dict['NAME']} does not exist; run: lindos db-upgrade")


def check_database() -> str:
    """Connect, query, and check every migration is applied."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    refuse_missing_sqlite_file(connection.settings_dict)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        vendor = connection.vendor
    finally:
        connections.close_all()
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied; run: lindos db-upgrade")
    return f"ok ({vendor})"


def _smtp_backend(config):
    """The backend delivery uses, so the check opens SMTP exactly as it will."""
    from django.conf import settings
    from django.core.mail import get_connection

    return get_connection(settings.EMAIL_BACKEND, fail_silently=False)


def check_smtp(config) -> str:
    if not config.smtp_server:
        return "skipped: smtp_server is not set (no mail can be sent)"
    where = f"{config.smtp_server}:{config.smtp_port}"
    try:
        backend = _smtp_backend(config)
    except Exception:
        backend = None
    try:
        if backend is not None and hasattr(backend, "open"):
            try:
                backend.open()
                # The greeting was read on connect; EHLO proves the server talks.
                backend.connection.ehlo_or_helo_if_needed()
                backend.connection.noop()
            finally:
                backend.close()
        else:
            _smtp_handshake(config)
    except Exception as exc:
        raise RuntimeError(f"{where}: {one_line(exc)}") from exc
    steps = [
        "SSL" if config.smtp_use_ssl else None,
        "STARTTLS" if config.smtp_use_tls else None,
        "login" if config.smtp_username else None,
    ]
    done = ", ".join(s for s in steps if s)
    return f"ok ({where}{', ' + done if done else ''})"


def _smtp_handshake(config) -> None:
    """Connect, EHLO, STARTTLS and login as configured; send nothing."""
    import smtplib

    context = ssl.create_default_context()
    cls = smtplib.SMTP_SSL if config.smtp_use_ssl else smtplib.SMTP
    kwargs = {"context": context} if config.smtp_use_ssl else {}
    with cls(config.smtp_server, config.smtp_port, timeout=config.smtp_timeout, **kwargs) as smtp:
        smtp.ehlo()
        if config.smtp_use_tls:
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.smtp_username:
            smtp.login(config.smtp_username, config.smtp_password)


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def check_broker(config) -> str:
    if not config.use_celery:
        return "ok (not used: use_celery = false, mail is delivered by lindos serve)"
    from lindos.celery_app import app

    url = config.celery.get("broker_url", "")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=5)
        # Prove the broker answers, not just that a socket opened.
        with conn.channel() as channel:
            channel.queue_declare(app.conf.task_default_queue, durable=True, passive=False)
    return f"ok ({redact(url)})"


def check_links(config) -> str:
    """Not a failure, but worth a word: without ``canonical_url`` mail links
    depend on the address each action came in on."""
    hosts = ", ".join(config.allowed_hosts)
    if config.canonical_url:
        return f"ok (mail links on {config.canonical_url}; hosts allowed: {hosts})"
    return (
        "warning: canonical_url is not set: links in mail are built on the address each "
        f"action came in on (hosts allowed: {hosts})"
    )


def run(args):
    from lindos.cli import setup_django
    from lindos.config import ConfigError

    failures = 0

    def report(name: str, check) -> None:
        nonlocal failures
        try:
            line = check()
        except Exception as exc:
            failures += 1
            line = f"FAILED: {one_line(exc)}"
        print(f"{name}: {line}", flush=True)

    try:
        config = setup_django(args.config)
    except (ConfigError, SystemExit) as exc:
        print(f"configuration: FAILED: {one_line(exc) if isinstance(exc, ConfigError) else 'see above'}")
        for name in ("links", "database", "smtp", "broker"):
            print(f"{name}: skipped (no valid configuration)")
        return 1
    print(f"configuration: ok ({config.path})", flush=True)
    report("links", lambda: check_links(config))
    report("database", check_database)
    # Connection refusals and DNS failures raise quickly; a silent firewall
    # is bounded by smtp_timeout.
    socket.setdefaulttimeout(config.smtp_timeout)
    report("smtp", lambda: check_smtp(config))
    report("broker", lambda: check_broker(config))
    return 1 if failures else 0
