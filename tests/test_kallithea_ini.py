"""Files written by Kallithea 0.7's ``kallithea-cli config-create`` load as
they are.  The fixtures are that command's output for waitress with SQLite,
MySQL and PostgreSQL (tests/fixtures/kallithea-0.7-*.ini), unedited."""

import logging
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lindos.config import load_config

FIXTURES = Path(__file__).parent / "fixtures"
ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "mysql": "django.db.backends.mysql",
    "postgres": "django.db.backends.postgresql",
}


def kallithea_ini(tmp_path, engine: str, edit=None) -> Path:
    """A copy of the fixture in a fresh folder (%(here)s points there)."""
    path = tmp_path / "my.ini"
    text = (FIXTURES / f"kallithea-0.7-{engine}.ini").read_text()
    path.write_text(edit(text) if edit else text)
    return path


def ini_value(path: Path, key: str) -> str:
    return re.search(rf"^{re.escape(key)} = (.*)$", path.read_text(), re.MULTILINE).group(1)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_kallithea_file_loads_as_it_is(tmp_path, engine):
    path = kallithea_ini(tmp_path, engine)
    cfg = load_config(str(path))
    assert cfg.database["ENGINE"] == ENGINES[engine]
    assert (cfg.server_host, cfg.server_port) == ("127.0.0.1", 5000)
    # Kallithea's waitress section allows 100 GB pushes; Lindos keeps that limit.
    assert cfg.max_body_size == 107374182400
    assert cfg.secret_key == ini_value(path, "session.secret")
    assert cfg.use_celery is False
    assert cfg.celery == {
        "broker_url": "amqp://kallithea:thepassword@localhost:5672/kallitheavhost",
        "worker_concurrency": "2",
        "worker_max_tasks_per_child": "100",
    }
    # The email keys are all present but empty: Lindos's defaults apply.
    assert cfg.smtp_server == "" and cfg.smtp_port == 25
    assert (cfg.smtp_username, cfg.smtp_password) == ("", "")
    assert (cfg.smtp_use_ssl, cfg.smtp_use_tls) == (False, False)
    assert cfg.email_to == ()
    assert cfg.email_prefix == ""
    assert cfg.debug is False
    assert cfg.cache_dir == str(tmp_path / "data")
    assert cfg.has_logging_sections


def test_kallithea_database_urls_map_to_django(tmp_path):
    sqlite = load_config(str(kallithea_ini(tmp_path, "sqlite"))).database
    assert sqlite["NAME"] == str(tmp_path / "kallithea.db")
    assert sqlite["OPTIONS"]["timeout"] == 60
    mysql = load_config(str(kallithea_ini(tmp_path, "mysql"))).database
    assert {k: mysql[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")} == {
        "NAME": "kallithea",
        "USER": "kallithea",
        "PASSWORD": "password",
        "HOST": "localhost",
        "PORT": "",
    }
    assert mysql["OPTIONS"]["charset"] == "utf8mb4"
    pg = load_config(str(kallithea_ini(tmp_path, "postgres"))).database
    assert {k: pg[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")} == {
        "NAME": "kallithea",
        "USER": "kallithea",
        "PASSWORD": "password",
        "HOST": "localhost",
        "PORT": "",
    }


def test_kallithea_email_settings_are_read(tmp_path):
    """An operator fills in the email block of a Kallithea file."""

    def fill(text):
        text = text.replace("#email_prefix = [Kallithea]", "email_prefix = [Kallithea]")
        text = text.replace(
            "#app_email_from = Kallithea <kallithea-noreply@example.com>",
            "app_email_from = Kallithea <kallithea-noreply@example.com>",
        )
        text = text.replace("\nemail_to =\n", "\nemail_to = admin@example.com,another_admin@example.com\n")
        text = text.replace("\nerror_email_from =\n", "\nerror_email_from = kallithea_errors@example.com\n")
        text = text.replace(
            "smtp_server =\nsmtp_username =\nsmtp_password =\nsmtp_port =\nsmtp_use_ssl = false",
            "smtp_server = smtp.gmail.com\nsmtp_username = username\nsmtp_password = password\n"
            "smtp_port = 465\nsmtp_use_ssl = true",
        )
        return text

    cfg = load_config(str(kallithea_ini(tmp_path, "sqlite", fill)))
    assert (cfg.smtp_server, cfg.smtp_port, cfg.smtp_username, cfg.smtp_password) == (
        "smtp.gmail.com",
        465,
        "username",
        "password",
    )
    assert (cfg.smtp_use_ssl, cfg.smtp_use_tls) == (True, False)
    assert cfg.email_to == ("admin@example.com", "another_admin@example.com")
    assert cfg.app_email_from == "Kallithea <kallithea-noreply@example.com>"
    assert cfg.error_email_from == "kallithea_errors@example.com"
    assert cfg.email_prefix == "[Kallithea]"
    # Kallithea's "get trace_errors.* = ..." lines copy those values; harmless here.
    assert cfg.raw["trace_errors.smtp_server"] == "smtp.gmail.com"


def test_kallithea_celery_settings(tmp_path):
    cfg = load_config(
        str(
            kallithea_ini(
                tmp_path,
                "sqlite",
                lambda t: t.replace("use_celery = false", "use_celery = true").replace(
                    "amqp://kallithea:thepassword@localhost:5672/kallitheavhost", "redis://localhost:6379/0"
                ),
            )
        )
    )
    assert cfg.use_celery is True
    assert cfg.celery["broker_url"] == "redis://localhost:6379/0"


def test_unknown_keys_are_ignored_with_a_debug_line(tmp_path, caplog):
    path = kallithea_ini(tmp_path, "sqlite")
    caplog.set_level(logging.DEBUG, logger="lindos.config")
    load_config(str(path))
    ignored = {
        r.getMessage() for r in caplog.records if r.name == "lindos.config" and r.levelno == logging.DEBUG
    }
    for key in (
        "git_path",
        "beaker.cache.data_dir",
        "session.key",
        "index_dir",
        "sqlalchemy.pool_recycle",
        "trace_errors.smtp_server",
    ):
        assert f"{path}: ignoring unknown key {key!r}" in ignored
    read = (
        "'smtp_",
        "'email_",
        "'app_email_from'",
        "'error_email_from'",
        "'session.secret'",
        "'sqlalchemy.url'",
        "'celery.",
        "'use_celery'",
        "'cache_dir'",
        "'use'",
        "'here'",
        "'__file__'",
        "'ssh_",
        "'kallithea_cli_path'",
        "'hgencoding'",
    )
    assert not [line for line in ignored if any(word in line for word in read)]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_db_upgrade_runs_on_a_kallithea_file(tmp_path):
    """Through the CLI, in a process of its own: Kallithea's logging sections
    (with its coloured formatter classes, which don't exist here) are honoured
    and don't stop start-up; the SQLite database lands where the file says."""
    path = kallithea_ini(
        tmp_path,
        "sqlite",
        lambda t: t.replace(
            "handlers = console\n## For coloring", "handlers = console_color\n## For coloring"
        ),
    )
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "db-upgrade", "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Database is up to date.\n")
    assert "Traceback" not in result.stderr
    # Kallithea's root logger is NOTSET; Django's DEBUG schema chatter stays out.
    assert "CREATE TABLE" not in result.stderr
    tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "kallithea.db").execute(
            "select name from sqlite_master where type = 'table'"
        )
    }
    assert {"accounts_user", "appsettings_appsettings", "django_migrations"} <= tables


def test_kallithea_logger_levels_carry_over(tmp_path):
    """The level of Kallithea's ``kallithea`` logger applies to ``lindos``."""
    path = kallithea_ini(
        tmp_path,
        "sqlite",
        lambda t: t.replace("[logger_kallithea]\nlevel = WARN", "[logger_kallithea]\nlevel = DEBUG"),
    )
    code = (
        "import logging; from lindos.config import load_config; from lindos.logsetup import build_logging; "
        f"build_logging(load_config({str(path)!r})); "
        "print(logging.getLogger('lindos').level, logging.getLogger('django').getEffectiveLevel())"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(logging.DEBUG), str(logging.INFO)]


def test_broken_logging_section_is_one_line(tmp_path):
    path = kallithea_ini(
        tmp_path,
        "sqlite",
        lambda t: t.replace(
            "[handler_console]\nclass = StreamHandler", "[handler_console]\nclass = NoSuchHandler"
        ),
    )
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "db-upgrade", "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"lindos: error: {path}: [loggers]: logging configuration is wrong: ")
    assert result.stderr.count("\n") == 1


def test_fixtures_are_unedited_kallithea_output():
    """Guard against someone "fixing" a fixture to make a test pass."""
    for engine in ENGINES:
        text = (FIXTURES / f"kallithea-0.7-{engine}.ini").read_text()
        assert text.startswith("#" * 83 + "\n")
        assert "## Kallithea config file generated with kallithea-cli 0.7.0" in text
        assert "use = egg:kallithea\n" in text and "use = egg:waitress#main\n" in text
        assert "class = kallithea.lib.colored_formatter.ColorFormatter\n" in text
