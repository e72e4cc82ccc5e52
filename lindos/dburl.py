"""Translate Kallithea's ``sqlalchemy.url`` into a Django DATABASES entry.

Kallithea users keep their database and its URL; the three forms it writes
are ``sqlite:///%(here)s/kallithea.db?timeout=60``,
``postgresql://user:pw@host/db`` and ``mysql://user:pw@host/db?charset=utf8``
(SQLAlchemy driver suffixes such as ``+psycopg2`` or ``+pymysql`` are allowed).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, unquote, urlsplit


class DatabaseURLError(ValueError):
    pass


ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "postgres": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
    "mariadb": "django.db.backends.mysql",
}

# Health checks make every request and task start on a live connection; a
# connection is kept for a minute at most.  This is what makes Lindos immune
# to Kallithea's known failure (MySQL's wait_timeout closing
# a connection that was opened at start-up and reused an hour later).
SERVER_CONN_MAX_AGE = 60


def database_from_url(url: str) -> dict:
    if not url:
        raise DatabaseURLError("empty database URL")
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0].lower()
    if scheme not in ENGINES or "://" not in url:
        raise DatabaseURLError(
            "expected sqlite:///PATH, postgresql://USER:PASSWORD@HOST/DB or mysql://USER:PASSWORD@HOST/DB"
        )
    query = dict(parse_qsl(parts.query))
    if scheme == "sqlite":
        return _sqlite(url, parts, query)
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise DatabaseURLError("missing database name after the host")
    try:
        port = parts.port
    except ValueError:
        raise DatabaseURLError("bad port number")
    db = {
        "ENGINE": ENGINES[scheme],
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", None) or parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": SERVER_CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {},
    }
    if ENGINES[scheme].endswith("mysql"):
        db["OPTIONS"]["charset"] = (
            "utf8mb4" if query.get("charset", "utf8mb4").startswith("utf8") else query["charset"]
        )
        if "unix_socket" in query:
            db["OPTIONS"]["unix_socket"] = query["unix_socket"]
        db["OPTIONS"]["init_command"] = "SET sql_mode='STRICT_TRANS_TABLES'"
    elif "sslmode" in query:
        db["OPTIONS"]["sslmode"] = query["sslmode"]
    return db


def _sqlite(url: str, parts, query: dict) -> dict:
    # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy reads them
    rest = url.split("://", 1)[1].split("?", 1)[0]
    if not rest.startswith("/"):
        raise DatabaseURLError("expected sqlite:///PATH")
    path = unquote(rest[1:])
    if not path or path == ":memory:":
        raise DatabaseURLError("an SQLite database needs a file path")
    # A relative path is relative to the working directory, as in SQLAlchemy;
    # fixed here once so a later chdir cannot move the database.
    path = os.path.abspath(path)
    try:
        timeout = float(query.get("timeout", 60))
    except ValueError:
        raise DatabaseURLError("timeout must be a number of seconds")
    return {
        "ENGINE": ENGINES["sqlite"],
        "NAME": path,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "timeout": timeout,
            # WAL lets readers go on while the outbox worker writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }


def redact_password(url: str) -> str:
    """The URL with its password replaced, for messages and logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
