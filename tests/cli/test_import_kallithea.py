"""``lindos import-kallithea`` as an operator runs it: a summary at the end,
a progress bar and a question on a terminal, one-line refusals."""

import os
import re
import sqlite3
import subprocess

import pytest

from tests.cli.test_commands import lindos, run_on_terminal
from tests.kallithea_import.fixtures_kallithea import (
    FIXTURES,
    load_postgres_dump,
    unpack_repositories,
    write_ini,
)


@pytest.fixture
def site(tmp_path):
    """A new Lindos site (config-create) and Kallithea's SQLite
    installation, its repositories already in Lindos's base_path."""
    ini = tmp_path / "site" / "lindos.ini"
    ini.parent.mkdir()
    assert lindos("config-create", str(ini)).returncode == 0
    (ini.parent / "repos").mkdir()
    unpack_repositories("sqlite", ini.parent / "repos")
    kdb = tmp_path / "kallithea.db"
    kdb.write_bytes(open(os.path.join(FIXTURES, "sqlite", "kallithea.sqlite"), "rb").read())
    kini = write_ini(tmp_path / "kallithea.ini", f"sqlite:///{kdb}?timeout=60")
    return ini, kini


def test_import_prints_the_summary_and_refuses_a_second_run_without_merge(site):
    ini, kini = site
    repos = str(ini.parent / "repos")
    result = lindos("import-kallithea", "-c", str(ini), "--from", kini, "--repos", repos)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Imported from Kallithea 0.7:\n")
    assert re.search(r"^  users +6$", out, re.M)
    assert re.search(r"^  pull requests +3$", out, re.M)
    assert re.search(r"^  comments +16$", out, re.M)
    assert re.search(r"^  followings +7$", out, re.M)
    assert re.search(r"^  user groups +2$", out, re.M) and re.search(r"^  repository groups +2$", out, re.M)
    assert re.search(r"^  gists +0$", out, re.M)  # the fixture has none
    assert "Not imported:\n" in out and "gists" not in out.split("Not imported:\n")[1]
    assert "[#" not in result.stderr  # no progress bar off a terminal
    again = lindos("import-kallithea", "-c", str(ini), "--from", kini, "--repos", repos)
    assert again.returncode == 1
    assert again.stderr == (
        "lindos: error: the Lindos database is not empty (6 users, 5 repositories, 3 pull requests, "
        "16 comments): import into a new database, or give --merge to add what is missing\n"
    )
    merged = lindos("import-kallithea", "-c", str(ini), "--from", kini, "--repos", repos, "--merge")
    assert merged.returncode == 0, merged.stderr
    assert re.search(r"^  users +0 \(6 already there\)$", merged.stdout, re.M)
    db = sqlite3.connect(ini.parent / "data" / "lindos.db")
    assert db.execute("select count(*) from review_comment").fetchone() == (16,)


def test_on_a_terminal_it_asks_where_the_repositories_are_and_shows_progress(site):
    ini, kini = site
    base = str(ini.parent / "repos")
    code, shown = run_on_terminal(["import-kallithea", "-c", str(ini), "--from", kini], [(f"[{base}]", "")])
    assert code == 0, shown
    assert "Where are they now?" in shown
    assert re.search(r"comments +\[#{30}\] 16/16", shown)
    assert "Imported from Kallithea 0.7:" in shown


@pytest.mark.parametrize(
    "version,message",
    [
        (
            "0123456789ab",
            "unknown Kallithea database schema version 0123456789ab: this importer reads Kallithea 0.4 to 0.7",
        ),
        ("", "unknown Kallithea database schema version (none): this importer reads Kallithea 0.4 to 0.7"),
    ],
)
def test_an_unknown_schema_is_refused_in_one_line(site, version, message):
    ini, kini = site
    db = sqlite3.connect(kini.replace("kallithea.ini", "kallithea.db"))
    db.execute("UPDATE alembic_version SET version_num = ?", (version,))
    db.commit()
    result = lindos("import-kallithea", "-c", str(ini), "--from", kini, "--repos", str(ini.parent / "repos"))
    assert (result.returncode, result.stderr) == (1, f"lindos: error: {message}\n")


@pytest.mark.parametrize(
    "content,message",
    [
        (None, "configuration file not found"),
        (
            "[app:main]\nsqlalchemy.url = sqlite:////nonexistent/k.db\n",
            "/nonexistent/k.db: no such database file",
        ),
        ("[app:main]\nfoo = bar\n", "no sqlalchemy.url: is this Kallithea's ini file?"),
        ("[app:main]\nsqlalchemy.url = oracle://x/y\n", "sqlalchemy.url: expected sqlite:///PATH"),
    ],
)
def test_a_bad_kallithea_ini_is_one_line(site, tmp_path, content, message):
    ini, _ = site
    kini = tmp_path / "bad.ini"
    if content is not None:
        kini.write_text(content)
    result = lindos("import-kallithea", "-c", str(ini), "--from", str(kini))
    assert result.returncode == 1
    assert result.stderr.startswith("lindos: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.services
def test_into_postgresql_from_postgresql_keeps_numbers_and_moves_the_sequences(tmp_path, postgres_server):
    """Lindos on PostgreSQL: explicit ids must move the sequences on, or the
    next pull request or comment would collide with an imported one."""
    import psycopg

    lindos_url = postgres_server.create_database()
    kallithea_url = postgres_server.create_database()
    load_postgres_dump(kallithea_url)
    ini = tmp_path / "site" / "lindos.ini"
    ini.parent.mkdir()
    assert lindos("config-create", str(ini), f"sqlalchemy.url={lindos_url}").returncode == 0
    (ini.parent / "repos").mkdir()
    unpack_repositories("postgres", ini.parent / "repos")
    kini = write_ini(tmp_path / "kallithea.ini", kallithea_url)
    result = lindos("import-kallithea", "-c", str(ini), "--from", kini, "--repos", str(ini.parent / "repos"))
    assert result.returncode == 0, result.stderr
    with psycopg.connect(lindos_url) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM review_pullrequest ORDER BY id")] == [2, 3, 4]
        next_pr = conn.execute(
            "SELECT nextval(pg_get_serial_sequence('review_pullrequest', 'id'))"
        ).fetchone()[0]
        next_comment = conn.execute(
            "SELECT nextval(pg_get_serial_sequence('review_comment', 'id'))"
        ).fetchone()[0]
    assert next_pr > 4 and next_comment > 18
    # The Kallithea database is untouched: it still has its own users table only.
    with psycopg.connect(kallithea_url) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 7
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert not any(t.startswith(("accounts_", "kallithea_import_", "django_")) for t in tables)
