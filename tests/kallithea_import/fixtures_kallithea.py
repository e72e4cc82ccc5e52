"""The Kallithea installations made by ``make_fixture.py`` with the real
Kallithea 0.7.0, set up for an import: the database (a copy of the SQLite
file, or the PostgreSQL or MariaDB dump loaded into a fresh database) behind a
Kallithea ini file, and the repositories unpacked in Lindos's base_path.

``kallithea_ini`` and what depends on it run once per engine (SQLite,
PostgreSQL, MySQL/MariaDB); the fixtures hold the same objects with the same ids and changeset hashes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile

import pytest

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def manifest(engine: str) -> dict:
    with open(os.path.join(FIXTURES, engine, "manifest.json")) as fh:
        return json.load(fh)


def unpack_repositories(engine: str, base_path) -> None:
    with tarfile.open(os.path.join(FIXTURES, engine, "repos.tar.gz")) as tar:
        tar.extractall(base_path, filter="data")
    inner = os.path.join(base_path, "repos")
    for name in os.listdir(inner):
        shutil.move(os.path.join(inner, name), os.path.join(base_path, name))
    os.rmdir(inner)


def write_ini(path, url: str) -> str:
    """A Kallithea ini file as ``kallithea-cli config-create`` writes it (the
    keys that matter here, in the sections it puts them in)."""
    path.write_text(
        "[DEFAULT]\ndebug = false\n\n[server:main]\nhost = 127.0.0.1\nport = 5000\n\n"
        f"[app:main]\nuse = egg:kallithea\nsqlalchemy.url = {url}\n"
        "session.secret = not-used\napp_instance_uuid = x\n"
    )
    return str(path)


def load_mysql_dump(url: str) -> None:
    from urllib.parse import urlsplit

    u = urlsplit(url)
    with open(os.path.join(FIXTURES, "mysql", "kallithea.sql"), "rb") as dump:
        subprocess.run(
            [
                "mysql",
                "-h",
                u.hostname,
                "-P",
                str(u.port),
                "-u",
                u.username,
                f"-p{u.password}",
                u.path.lstrip("/"),
            ],
            stdin=dump,
            check=True,
            capture_output=True,
        )


def load_postgres_dump(url: str) -> None:
    """pg_dump's plain SQL needs psql (COPY ... FROM stdin blocks)."""
    subprocess.run(
        [
            "psql",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-f",
            os.path.join(FIXTURES, "postgres", "kallithea.sql"),
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.services),
        pytest.param("mysql", marks=pytest.mark.services),
    ]
)
def engine(request):
    return request.param


@pytest.fixture
def kallithea_manifest(engine):
    return manifest(engine)


@pytest.fixture
def sqlite_fixture(tmp_path):
    """A copy of the SQLite database (tests check it is never written)."""
    db = tmp_path / "kallithea.db"
    shutil.copy(os.path.join(FIXTURES, "sqlite", "kallithea.sqlite"), db)
    return db


@pytest.fixture
def kallithea_url(engine, request, tmp_path):
    if engine == "sqlite":
        return f"sqlite:///{request.getfixturevalue('sqlite_fixture')}?timeout=60"
    if engine == "mysql":
        url = request.getfixturevalue("mariadb_server").create_database()
        load_mysql_dump(url)
        return url
    url = request.getfixturevalue("postgres_server").create_database()
    load_postgres_dump(url)
    return url


@pytest.fixture
def kallithea_rows(kallithea_url):
    """Run a query on the Kallithea database: a list of dicts."""

    def query(sql: str) -> list[dict]:
        if kallithea_url.startswith("sqlite"):
            conn = sqlite3.connect(kallithea_url.split(":///", 1)[1].split("?")[0])
            conn.row_factory = sqlite3.Row
            try:
                return [dict(r) for r in conn.execute(sql)]
            finally:
                conn.close()
        if kallithea_url.startswith("mysql"):
            from urllib.parse import urlsplit

            import pymysql

            u = urlsplit(kallithea_url)
            conn = pymysql.connect(
                host=u.hostname,
                port=u.port,
                user=u.username,
                password=u.password,
                database=u.path.lstrip("/"),
                charset="utf8mb4",
                cursorclass=pymysql.cursors.DictCursor,
            )
            try:
                with conn.cursor() as cur:
                    cur.execute(sql)
                    return list(cur.fetchall())
            finally:
                conn.close()
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(kallithea_url, row_factory=dict_row) as conn:
            return list(conn.execute(sql))

    return query


@pytest.fixture
def kallithea_ini(engine, kallithea_url, tmp_path, repo_root):
    unpack_repositories(engine, repo_root)
    return write_ini(tmp_path / "kallithea.ini", kallithea_url)


@pytest.fixture
def sqlite_ini(tmp_path, sqlite_fixture, repo_root):
    """The SQLite installation only, for tests that alter the database file."""
    unpack_repositories("sqlite", repo_root)
    return write_ini(tmp_path / "kallithea.ini", f"sqlite:///{sqlite_fixture}?timeout=60")


@pytest.fixture
def imported(kallithea_ini, repo_root, transactional_db):
    """The fixture imported; (summary, run)."""
    from lindos.kallithea_import.runner import do_import

    return do_import(kallithea_ini, repos=str(repo_root))
