"""Reading Kallithea's ini and database: read-only, one-line errors."""

import sqlite3

import pytest

from lindos.kallithea_import.source import KallitheaDatabase, SourceError, read_kallithea_ini


def test_the_ini_gives_the_url_with_here_expanded(tmp_path):
    ini = tmp_path / "k.ini"
    ini.write_text("[app:main]\nsqlalchemy.url = sqlite:///%(here)s/kallithea.db?timeout=60\n")
    assert read_kallithea_ini(str(ini)).database_url == f"sqlite:///{tmp_path}/kallithea.db?timeout=60"


def test_the_sqlite_database_is_opened_read_only(sqlite_fixture):
    db = KallitheaDatabase(f"sqlite:///{sqlite_fixture}")
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db._execute("DELETE FROM users")
        assert db.count("users") == 7 and db.count("no_such_table") == 0
        assert db.schema_version() == "7ba0d2cad930"
        assert db.base_path().endswith("/repos")
    finally:
        db.close()


@pytest.mark.services
def test_the_postgresql_database_is_opened_read_only(postgres_server):
    import psycopg

    from tests.kallithea_import.fixtures_kallithea import load_postgres_dump

    url = postgres_server.create_database()
    load_postgres_dump(url)
    db = KallitheaDatabase(url)
    try:
        assert db.count("changeset_comments") == 16
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            db._execute("DELETE FROM users")
    finally:
        db.close()


@pytest.mark.services
def test_the_mysql_database_is_opened_read_only(mariadb_server):
    import pymysql

    from tests.kallithea_import.fixtures_kallithea import load_mysql_dump

    url = mariadb_server.create_database()
    load_mysql_dump(url)
    db = KallitheaDatabase(url)
    try:
        assert db.count("changeset_comments") == 16
        with pytest.raises(pymysql.err.OperationalError, match="READ ONLY"):
            db._execute("DELETE FROM users")
    finally:
        db.close()


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    bogus = tmp_path / "k.db"
    bogus.write_text("not a database\n" * 100)
    with pytest.raises(SourceError, match="^cannot read the Kallithea database: file is not a database$"):
        KallitheaDatabase(f"sqlite:///{bogus}").schema_version()


def test_an_unreachable_server_is_one_line():
    with pytest.raises(SourceError, match="^cannot open the Kallithea database: "):
        KallitheaDatabase("postgresql://nobody@127.0.0.1:1/kallithea")


def test_an_empty_sqlite_file_is_not_kallithea(tmp_path):
    empty = tmp_path / "e.db"
    sqlite3.connect(empty).close()
    with pytest.raises(SourceError, match="^not a Kallithea database: it has no alembic_version table$"):
        KallitheaDatabase(f"sqlite:///{empty}").schema_version()
