"""The INI file: PasteDeploy's override rules, Kallithea's keys, and the
one-line error for wrong values."""

import re
import subprocess
import sys
import textwrap

import pytest

from lindos.config import ConfigError, load_config

BASE = """
[DEFAULT]
{default}
[server:main]
host = 0.0.0.0
port = 5050

[app:main]
use = egg:kallithea
session.secret = s3cret
{app}
"""


def write_ini(tmp_path, default="", app="", name="my.ini"):
    path = tmp_path / name
    path.write_text(BASE.format(default=textwrap.dedent(default), app=textwrap.dedent(app)))
    return str(path)


def test_app_main_wins_over_default(tmp_path):
    cfg = load_config(write_ini(tmp_path, default="email_prefix = [D]\nsmtp_server = d.example.com",
                                app="email_prefix = [A]"))
    assert cfg.email_prefix == "[A]"
    assert cfg.smtp_server == "d.example.com"


def test_set_debug_overrides_default(tmp_path):
    assert load_config(write_ini(tmp_path, default="debug = false", app="set debug = true")).debug is True
    assert load_config(write_ini(tmp_path, default="debug = true", app="set debug = false")).debug is False
    assert load_config(write_ini(tmp_path)).debug is False


def test_here_expands_to_the_files_folder(tmp_path):
    cfg = load_config(write_ini(tmp_path, app="base_path = %(here)s/repositories"))
    assert cfg.base_path == str(tmp_path / "repositories")
    assert cfg.database["NAME"] == str(tmp_path / "data" / "lindos.db")


def test_server_section_and_email_keys(tmp_path):
    cfg = load_config(write_ini(tmp_path, default="""
        email_to = a@example.com, b@example.com
        app_email_from = Kallithea <kallithea-noreply@example.com>
        smtp_server = mail.example.com
        smtp_use_ssl = true
        smtp_auth = login
    """))
    assert (cfg.server_host, cfg.server_port) == ("0.0.0.0", 5050)
    assert cfg.email_to == ("a@example.com", "b@example.com")
    assert cfg.app_email_address == "kallithea-noreply@example.com"
    assert cfg.smtp_port == 465  # the default with SSL
    assert cfg.smtp_auth == ("LOGIN",)


def test_smtp_port_defaults_to_25(tmp_path):
    assert load_config(write_ini(tmp_path, default="smtp_port =")).smtp_port == 25


@pytest.mark.parametrize("url,engine,name", [
    ("sqlite:///%(here)s/x.db?timeout=60", "django.db.backends.sqlite3", None),
    ("postgresql://user:pw@db.example.com/kallithea", "django.db.backends.postgresql", "kallithea"),
    ("postgresql+psycopg2://user:pw@localhost:5433/k", "django.db.backends.postgresql", "k"),
    ("mysql://user:pw@localhost/kallithea?charset=utf8", "django.db.backends.mysql", "kallithea"),
])
def test_database_urls(tmp_path, url, engine, name):
    cfg = load_config(write_ini(tmp_path, app=f"sqlalchemy.url = {url}"))
    assert cfg.database["ENGINE"] == engine
    if name:
        assert cfg.database["NAME"] == name
    else:
        assert cfg.database["NAME"] == str(tmp_path / "x.db")
        assert cfg.database["OPTIONS"]["timeout"] == 60


def test_postgres_credentials_are_unquoted(tmp_path):
    cfg = load_config(write_ini(tmp_path, app="sqlalchemy.url = postgresql://u:p%%40ss@h:5433/db"))
    assert (cfg.database["USER"], cfg.database["PASSWORD"], cfg.database["PORT"]) == ("u", "p@ss", "5433")


@pytest.mark.parametrize("default,app,expected", [
    ("smtp_port = abc", "", "[DEFAULT] smtp_port = 'abc': expected a port number"),
    ("smtp_use_ssl = maybe", "", "[DEFAULT] smtp_use_ssl = 'maybe': expected true or false"),
    ("", "sqlalchemy.url = oracle:/nope", "[app:main] sqlalchemy.url = 'oracle:/nope'"),
    ("email_to = not-an-address", "", "[DEFAULT] email_to = 'not-an-address': not a valid email address"),
    ("", "app_email_from = Lindos <broken@>", "[app:main] app_email_from = 'Lindos <broken@>'"),
    ("smtp_auth = XOAUTH9", "", "[DEFAULT] smtp_auth = 'XOAUTH9'"),
])
def test_wrong_values_name_file_section_key_and_value(tmp_path, default, app, expected):
    path = write_ini(tmp_path, default=default, app=app)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: {expected}")
    assert "\n" not in str(err.value)


def test_wrong_value_stops_the_cli_with_one_line(tmp_path):
    path = write_ini(tmp_path, default="smtp_port = abc")
    result = subprocess.run([sys.executable, "-m", "lindos", "db-upgrade", "-c", path],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"lindos: error: {path}: [DEFAULT] smtp_port = 'abc': expected a port number (1-65535)\n"


def test_missing_file_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "lindos", "serve", "-c", str(tmp_path / "nope.ini")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "configuration file not found" in result.stderr


def test_config_create_writes_a_loadable_commented_file(tmp_path):
    path = tmp_path / "new.ini"
    result = subprocess.run([sys.executable, "-m", "lindos", "config-create", str(path),
                             "smtp_server=mail.example.com", "port=8080", "email_prefix=[Lindos]"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    cfg = load_config(str(path))
    assert (cfg.smtp_server, cfg.server_port, cfg.email_prefix) == ("mail.example.com", 8080, "[Lindos]")
    text = path.read_text()
    from lindos.config import KNOWN_KEYS
    for key in KNOWN_KEYS:
        assert re.search(rf"^#?(set )?{re.escape(key)} =", text, re.MULTILINE), key
    again = subprocess.run([sys.executable, "-m", "lindos", "config-create", str(path)],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "already exists" in again.stderr
