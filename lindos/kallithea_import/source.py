"""Reading a Kallithea installation: its ini file and its database.

The database is opened read-only with the plain DB-API drivers Lindos
already has (sqlite3 with ``mode=ro``, psycopg in a read-only transaction,
PyMySQL with ``START TRANSACTION READ ONLY``): the importer can never write
to it, and Lindos needs no SQLAlchemy for it.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from urllib.parse import quote

from lindos.config import ConfigError, _Reader
from lindos.dburl import DatabaseURLError, database_from_url

#: Kallithea's alembic revisions, oldest first, and the release that
#: brought each (0.4 is the first release on alembic; SQLAlchemy-Migrate
#: versions before it are refused).
KNOWN_REVISIONS = {
    "9358dc3d6828": "0.4",
    "a020f7044fd6": "0.4",
    "ad357ccd9521": "0.4",
    "b74907136bc1": "0.5",
    "151b4a4e8c48": "0.5",
    "4851d15bc437": "0.5",
    "d7ec25b66e47": "0.6",
    "a0a1bf09c143": "0.6",
    "f62826179f39": "0.6",
    "7ba0d2cad930": "0.7",
}


class SourceError(Exception):
    """The Kallithea installation cannot be read: one line saying why."""


@dataclass(frozen=True)
class KallitheaIni:
    path: str
    database_url: str
    base_path: str


def read_kallithea_ini(path: str) -> KallitheaIni:
    """``sqlalchemy.url`` and ``base_path`` of a Kallithea ini file.

    Kallithea kept ``base_path`` in its database (``ui`` table, ``paths``
    section, key ``/``); the ini's key, when present, is only a fallback
    (see ``KallitheaDatabase.base_path``).
    """
    try:
        reader = _Reader(path)
    except ConfigError as exc:
        raise SourceError(str(exc))
    url = reader.values.get("sqlalchemy.url", "").strip()
    if not url:
        raise SourceError(f"{path}: no sqlalchemy.url: is this Kallithea's ini file?")
    return KallitheaIni(
        path=os.path.abspath(path),
        database_url=url,
        base_path=reader.values.get("base_path", "").strip(),
    )


def connect_read_only(url: str):
    """A DB-API connection that cannot write, for ``sqlalchemy.url``."""
    try:
        db = database_from_url(url)
    except DatabaseURLError as exc:
        raise SourceError(f"sqlalchemy.url: {exc}")
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    try:
        if engine == "sqlite3":
            if not os.path.exists(db["NAME"]):
                raise SourceError(f"{db['NAME']}: no such database file")
            conn = sqlite3.connect(
                f"file:{quote(db['NAME'])}?mode=ro", uri=True, timeout=db["OPTIONS"]["timeout"]
            )
            conn.row_factory = sqlite3.Row
            return conn, "sqlite"
        if engine == "postgresql":
            import psycopg
            from psycopg.rows import dict_row

            conn = psycopg.connect(
                dbname=db["NAME"],
                user=db["USER"] or None,
                password=db["PASSWORD"] or None,
                host=db["HOST"] or None,
                port=db["PORT"] or None,
                row_factory=dict_row,
                **db["OPTIONS"],
            )
            conn.read_only = True
            return conn, "postgresql"
        import pymysql

        conn = pymysql.connect(
            database=db["NAME"],
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"] or "localhost",
            port=int(db["PORT"] or 3306),
            charset="utf8mb4",
            cursorclass=pymysql.cursors.DictCursor,
        )
        with conn.cursor() as cur:
            cur.execute("START TRANSACTION READ ONLY")
        return conn, "mysql"
    except SourceError:
        raise
    except Exception as exc:  # the driver's own error, whatever its class
        raise SourceError(f"cannot open the Kallithea database: {str(exc).strip().splitlines()[0]}")


class KallitheaDatabase:
    """Rows of a Kallithea database as dicts, by table."""

    def __init__(self, url: str):
        self.conn, self.dialect = connect_read_only(url)
        self._tables = None

    def close(self):
        self.conn.close()

    def _execute(self, sql: str, params=()):
        if self.dialect != "sqlite":
            sql = sql.replace("?", "%s")
        cur = self.conn.cursor()
        cur.execute(sql, params)
        return cur

    def tables(self) -> set[str]:
        if self._tables is None:
            if self.dialect == "sqlite":
                sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
            elif self.dialect == "postgresql":
                sql = "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
            else:
                sql = (
                    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()"
                )
            self._tables = {_value(row, "name") for row in self._execute(sql).fetchall()}
        return self._tables

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def quoted(self, table: str) -> str:
        """``table`` quoted: Kallithea's ``groups`` is a reserved word in
        MySQL 8 (SQLAlchemy quoted it for Kallithea)."""
        return f"`{table}`" if self.dialect == "mysql" else f'"{table}"'

    def columns(self, table: str) -> set[str]:
        cur = self._execute(f"SELECT * FROM {self.quoted(table)} WHERE 1 = 0")  # noqa: S608 (names are ours)
        return {d[0] for d in cur.description}

    def rows(self, table: str, order_by: str) -> list[dict]:
        """Every row of ``table`` (a name of ours, never user input)."""
        if not self.has_table(table):
            return []
        cur = self._execute(f"SELECT * FROM {self.quoted(table)} ORDER BY {order_by}")
        return [dict(row) for row in cur.fetchall()]

    def count(self, table: str) -> int:
        if not self.has_table(table):
            return 0
        return _value(self._execute(f"SELECT COUNT(*) AS n FROM {self.quoted(table)}").fetchone(), "n")

    def schema_version(self) -> str:
        """The alembic revision, checked to be one this importer knows.

        A database without one is older than Kallithea 0.4 (SQLAlchemy-Migrate
        kept ``db_migrate_version``) or not Kallithea's at all.
        """
        try:
            return self._schema_version()
        except SourceError:
            raise
        except Exception as exc:  # the driver's own error: not a database, no access...
            raise SourceError(f"cannot read the Kallithea database: {str(exc).strip().splitlines()[0]}")

    def _schema_version(self) -> str:
        if self.has_table("alembic_version"):
            row = self._execute("SELECT version_num FROM alembic_version").fetchone()
            version = _value(row, "version_num") if row else ""
            if version in KNOWN_REVISIONS:
                return version
            raise SourceError(
                f"unknown Kallithea database schema version {version or '(none)'}: "
                "this importer reads Kallithea 0.4 to 0.7"
            )
        if self.has_table("db_migrate_version"):
            row = self._execute("SELECT version FROM db_migrate_version").fetchone()
            version = _value(row, "version") if row else "?"
            raise SourceError(
                f"unknown Kallithea database schema version {version} (SQLAlchemy-Migrate, before "
                "Kallithea 0.4): upgrade it with Kallithea 0.4 or later first"
            )
        raise SourceError("not a Kallithea database: it has no alembic_version table")

    def setting(self, name: str, default: str = "") -> str:
        for row in self._execute(
            "SELECT app_settings_value FROM settings WHERE app_settings_name = ?", (name,)
        ).fetchall():
            return _value(row, "app_settings_value")
        return default

    def settings(self) -> dict[str, str]:
        return {
            r["app_settings_name"]: r["app_settings_value"] for r in self.rows("settings", "app_settings_id")
        }

    def base_path(self) -> str:
        """Where Kallithea kept its repositories: the ``ui`` table's
        ``[paths] /`` (set by ``kallithea-cli db-create --repos``)."""
        for row in self.rows("ui", "ui_id"):
            if row["ui_section"] == "paths" and row["ui_key"] == "/":
                return row["ui_value"] or ""
        return ""


def _value(row, key):
    if isinstance(row, dict):
        return row[key]
    if isinstance(row, sqlite3.Row):
        return row[key]
    return row[0]
