"""Kallithea's ``sqlalchemy.url`` forms translated to Django's DATABASES."""

import os

import pytest

from lindos.dburl import DatabaseURLError, database_from_url


def test_sqlite_absolute_and_relative(tmp_path, monkeypatch):
    assert database_from_url(f"sqlite:///{tmp_path}/k.db?timeout=60")["NAME"] == f"{tmp_path}/k.db"
    monkeypatch.chdir(tmp_path)
    db = database_from_url("sqlite:///kallithea.db")
    assert db["NAME"] == os.path.join(str(tmp_path), "kallithea.db")
    assert db["OPTIONS"]["timeout"] == 60  # Kallithea's default


def test_postgres_unix_socket_and_sslmode():
    db = database_from_url("postgresql://kallithea:pw@/kallithea?host=/var/run/postgresql&sslmode=require")
    assert (db["HOST"], db["NAME"], db["OPTIONS"]) == (
        "/var/run/postgresql",
        "kallithea",
        {"sslmode": "require"},
    )


def test_mysql_charsets_and_drivers():
    assert database_from_url("mysql://k:pw@localhost/k?charset=utf8")["OPTIONS"]["charset"] == "utf8mb4"
    assert database_from_url("mysql+pymysql://k:pw@localhost/k")["OPTIONS"]["charset"] == "utf8mb4"
    assert database_from_url("mysql://k:pw@localhost/k?charset=latin1")["OPTIONS"]["charset"] == "latin1"
    db = database_from_url("mysql://k:p%40w@db.example.com:3307/k")
    assert (db["PASSWORD"], db["HOST"], db["PORT"]) == ("p@w", "db.example.com", "3307")


def test_server_databases_check_connection_health():
    """A connection the server dropped (MySQL's wait_timeout) is never reused."""
    for url in ("mysql://k:pw@localhost/k", "postgresql://k:pw@localhost/k"):
        db = database_from_url(url)
        assert db["CONN_HEALTH_CHECKS"] is True
        assert db["CONN_MAX_AGE"] <= 60


@pytest.mark.parametrize(
    "url,why",
    [
        ("", "empty database URL"),
        ("oracle://u:p@h/db", "expected sqlite:///PATH"),
        ("postgresql://u:p@host", "missing database name after the host"),
        ("postgresql://u:p@host:abc/db", "bad port number"),
        ("sqlite://", "expected sqlite:///PATH"),
        ("sqlite:///:memory:", "an SQLite database needs a file path"),
        ("sqlite:////tmp/x.db?timeout=soon", "timeout must be a number of seconds"),
        ("kallithea.db", "expected sqlite:///PATH"),
    ],
)
def test_unparsable_urls(url, why):
    with pytest.raises(DatabaseURLError) as err:
        database_from_url(url)
    assert str(err.value).startswith(why)


def test_redact_password():
    from lindos.dburl import redact_password

    assert (
        redact_password("mysql://k:s3cret@db:3306/k?charset=utf8") == "mysql://k:***@db:3306/k?charset=utf8"
    )
    assert redact_password("sqlite:////srv/k.db") == "sqlite:////srv/k.db"
