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
    cfg = load_config(
        write_ini(
            tmp_path, default="email_prefix = [D]\nsmtp_server = d.example.com", app="email_prefix = [A]"
        )
    )
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
    cfg = load_config(
        write_ini(
            tmp_path,
            default="""
        email_to = a@example.com, b@example.com
        app_email_from = Kallithea <kallithea-noreply@example.com>
        smtp_server = mail.example.com
        smtp_use_ssl = true
        smtp_auth = login
    """,
        )
    )
    assert (cfg.server_host, cfg.server_port) == ("0.0.0.0", 5050)
    assert cfg.email_to == ("a@example.com", "b@example.com")
    assert cfg.app_email_address == "kallithea-noreply@example.com"
    assert cfg.smtp_port == 465  # the default with SSL
    assert cfg.smtp_auth == ("LOGIN",)


def test_smtp_port_defaults_to_25(tmp_path):
    assert load_config(write_ini(tmp_path, default="smtp_port =")).smtp_port == 25


@pytest.mark.parametrize(
    "url,engine,name",
    [
        ("sqlite:///%(here)s/x.db?timeout=60", "django.db.backends.sqlite3", None),
        ("postgresql://user:pw@db.example.com/kallithea", "django.db.backends.postgresql", "kallithea"),
        ("postgresql+psycopg2://user:pw@localhost:5433/k", "django.db.backends.postgresql", "k"),
        ("mysql://user:pw@localhost/kallithea?charset=utf8", "django.db.backends.mysql", "kallithea"),
    ],
)
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


@pytest.mark.parametrize(
    "default,app,expected",
    [
        ("smtp_port = abc", "", "[DEFAULT] smtp_port = 'abc': expected a port number"),
        ("smtp_use_ssl = maybe", "", "[DEFAULT] smtp_use_ssl = 'maybe': expected true or false"),
        ("", "sqlalchemy.url = oracle:/nope", "[app:main] sqlalchemy.url = 'oracle:/nope'"),
        ("email_to = not-an-address", "", "[DEFAULT] email_to = 'not-an-address': not a valid email address"),
        ("", "app_email_from = Lindos <broken@>", "[app:main] app_email_from = 'Lindos <broken@>'"),
        ("smtp_auth = XOAUTH9", "", "[DEFAULT] smtp_auth = 'XOAUTH9'"),
        (
            "",
            "allowed_hosts = lindos.example.com, http://evil",
            "[app:main] allowed_hosts = 'lindos.example.com, http://evil': expected comma-separated "
            "host names; a host name, not a URL: 'http://evil'",
        ),
        ("allowed_hosts = host:8080", "", "[DEFAULT] allowed_hosts = 'host:8080': expected"),
        ("allowed_hosts = *", "", "[DEFAULT] allowed_hosts = '*': '*' needs canonical_url to be set"),
        (
            "",
            "canonical_url = lindos.example.com",
            "[app:main] canonical_url = 'lindos.example.com': expected an http:// or https:// URL",
        ),
        ("", "canonical_url = https://", "[app:main] canonical_url = 'https://': expected"),
        ("", "canonical_url = https://a.example/?x=1", "[app:main] canonical_url = 'https://a.example/?x=1'"),
        ("", "canonical_url = http://a.example:99999", "[app:main] canonical_url = 'http://a.example:99999'"),
    ],
)
def test_wrong_values_name_file_section_key_and_value(tmp_path, default, app, expected):
    path = write_ini(tmp_path, default=default, app=app)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: {expected}")
    assert "\n" not in str(err.value)


def test_wrong_value_stops_the_cli_with_one_line(tmp_path):
    path = write_ini(tmp_path, default="smtp_port = abc")
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "db-upgrade", "-c", path], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == f"lindos: error: {path}: [DEFAULT] smtp_port = 'abc': expected a port number (1-65535)\n"
    )


def test_missing_file_is_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "serve", "-c", str(tmp_path / "nope.ini")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "configuration file not found" in result.stderr


def test_config_create_writes_a_loadable_commented_file(tmp_path):
    path = tmp_path / "new.ini"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lindos",
            "config-create",
            str(path),
            "smtp_server=mail.example.com",
            "port=8080",
            "email_prefix=[Lindos]",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    cfg = load_config(str(path))
    assert (cfg.smtp_server, cfg.server_port, cfg.email_prefix) == ("mail.example.com", 8080, "[Lindos]")
    text = path.read_text()
    from lindos.config_keys import KEYS, OMITTED

    for key in KEYS:
        if key.write != OMITTED and not key.is_prefix:
            assert re.search(rf"^#?(set )?{re.escape(key.name)} =", text, re.MULTILINE), key
    again = subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 1 and "already exists" in again.stderr


def test_get_copies_a_default_value(tmp_path):
    """PasteDeploy's ``get NAME = OTHER`` (Kallithea writes such lines)."""
    cfg = load_config(
        write_ini(
            tmp_path,
            default="smtp_server = mail.example.com\nmy_prefix = [K]",
            app="get email_prefix = my_prefix",
        )
    )
    assert cfg.email_prefix == "[K]"


def test_get_sees_set_values_but_not_plain_app_keys(tmp_path):
    cfg = load_config(
        write_ini(tmp_path, default="debug = false", app="set debug = true\nget email_prefix = debug")
    )
    assert cfg.email_prefix == "true"


def test_get_of_a_missing_key_is_one_line(tmp_path):
    path = write_ini(tmp_path, app="get email_prefix = nowhere")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f"{path}: [app:main] get email_prefix = 'nowhere': no such key in [DEFAULT] (or set in [app:main])"
    )


def test_here_in_default_section_and_in_server_section(tmp_path):
    cfg = load_config(write_ini(tmp_path, default="cache_dir = %(here)s/cache"))
    assert cfg.cache_dir == str(tmp_path / "cache")


def test_percent_must_be_doubled_and_a_single_one_is_one_line(tmp_path):
    assert load_config(write_ini(tmp_path, default="smtp_password = 50%%off")).smtp_password == "50%off"
    path = write_ini(tmp_path, default="smtp_password = 50%off")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}: [DEFAULT] smtp_password = '50%off': ")
    assert "\n" not in message


@pytest.mark.parametrize(
    "server,expected",
    [
        ("port = http", "[server:main] port = 'http': expected a port number (0-65535)"),
        ("port = 70000", "[server:main] port = '70000': expected a port number (0-65535)"),
        (
            "max_request_body_size = lots",
            "[server:main] max_request_body_size = 'lots': expected a size in bytes",
        ),
        ("host = evil/x", "[server:main] host = 'evil/x': expected an address or host name to listen on"),
    ],
)
def test_wrong_server_values_are_one_line(tmp_path, server, expected):
    path = tmp_path / "s.ini"
    path.write_text(f"[server:main]\n{server}\n[app:main]\nsession.secret = x\n")
    with pytest.raises(ConfigError) as err:
        load_config(str(path))
    assert str(err.value) == f"{path}: {expected}"


def test_allowed_hosts_default_to_canonical_url_and_the_bound_address(tmp_path):
    cfg = load_config(write_ini(tmp_path, app="canonical_url = https://Code.Example.com/"))
    assert cfg.canonical_url == "https://Code.Example.com"
    assert cfg.allowed_hosts[0] == "code.example.com"
    assert {"localhost", "127.0.0.1", "[::1]"} <= set(cfg.allowed_hosts)  # host = 0.0.0.0


def test_allowed_hosts_as_written(tmp_path):
    cfg = load_config(write_ini(tmp_path, default="allowed_hosts = Code.example.com,.example.org  [::1]"))
    assert cfg.allowed_hosts == ("code.example.com", ".example.org", "[::1]")
    cfg = load_config(write_ini(tmp_path, app="canonical_url = https://x.example\nallowed_hosts = *"))
    assert cfg.allowed_hosts == ("*",)


def test_config_create_writes_canonical_url_from_host_and_port(tmp_path):
    import socket

    for args, expected in (
        (["--port", "6001"], "http://localhost:6001"),
        (["port=6002", "host=::1"], "http://localhost:6002"),
        (["--host", "192.0.2.5", "--port", "80"], "http://192.0.2.5"),
        (["canonical_url=https://code.example.com"], "https://code.example.com"),
    ):
        path = tmp_path / f"{args[-1].replace(':', '_')}.ini"
        result = subprocess.run(
            [sys.executable, "-m", "lindos", "config-create", str(path), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert load_config(str(path)).canonical_url == expected
        assert result.stdout.endswith(f"Links in mail point to {expected} (canonical_url)\n")
    path = tmp_path / "everywhere.ini"
    subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", str(path), "--host", "0.0.0.0"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    cfg = load_config(str(path))
    assert cfg.server_host == "0.0.0.0"
    names = {socket.gethostname(), socket.getfqdn()} - {"localhost"}
    assert cfg.canonical_url in {f"http://{n}:5000" for n in names} or not names


def test_max_body_size_prefers_the_app_key_over_waitress_section(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text("[server:main]\nmax_request_body_size = 2048\n[app:main]\nsession.secret = x\n")
    assert load_config(str(path)).max_body_size == 2048
    path.write_text(
        "[server:main]\nmax_request_body_size = 2048\n[app:main]\nsession.secret = x\nmax_body_size = 4096\n"
    )
    assert load_config(str(path)).max_body_size == 4096


def test_waitress_proxy_options_are_read_from_the_server_section(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text(
        "[server:main]\ntrusted_proxy = 10.0.0.1\ntrusted_proxy_headers = x-forwarded-for\n"
        "unrelated = 1\n[app:main]\nsession.secret = x\n"
    )
    assert load_config(str(path)).server_proxy == {
        "trusted_proxy": "10.0.0.1",
        "trusted_proxy_headers": "x-forwarded-for",
    }
    path.write_text("[app:main]\nsession.secret = x\n")
    assert load_config(str(path)).server_proxy == {}


def test_missing_secret_is_one_line(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text("[app:main]\nuse = egg:kallithea\n")
    with pytest.raises(ConfigError) as err:
        load_config(str(path))
    assert str(err.value).startswith(f"{path}: [app:main] session.secret = '': a secret is required")


def test_both_ssl_and_tls_is_refused(tmp_path):
    path = write_ini(tmp_path, default="smtp_use_ssl = true\nsmtp_use_tls = true")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "smtp_use_ssl and smtp_use_tls cannot both be true" in str(err.value)


def test_celery_needs_a_broker(tmp_path):
    path = write_ini(tmp_path, app="use_celery = true")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: [app:main] use_celery = 'true': needs celery.broker_url")


def test_unparsable_database_url_stops_the_cli(tmp_path):
    path = write_ini(tmp_path, app="sqlalchemy.url = postgresql://u:p@host:port/db")
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "db-upgrade", "-c", path], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"lindos: error: {path}: [app:main] sqlalchemy.url = "
        "'postgresql://u:p@host:port/db': bad port number\n"
    )


def test_wrong_bool_stops_serve_with_one_line(tmp_path):
    path = write_ini(tmp_path, default="smtp_use_ssl = maybe")
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "serve", "-c", path], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert (
        result.stderr == f"lindos: error: {path}: [DEFAULT] smtp_use_ssl = 'maybe': expected true or false\n"
    )


def test_data_folders_are_created(tmp_path):
    from lindos.config import ensure_data_folders

    cfg = load_config(write_ini(tmp_path))
    ensure_data_folders(cfg)
    assert (tmp_path / "data").is_dir() and (tmp_path / "repos").is_dir()


def test_workers_cache_url_and_archive_cache_size(tmp_path):
    cfg = load_config(write_ini(tmp_path))
    assert (cfg.server_workers, cfg.cache_url, cfg.archive_cache_size) == (0, "", 1 << 30)
    path = write_ini(tmp_path, app="cache.url = redis://cache.example.com:6379/1\narchive_cache_size = 0")
    path_text = open(path).read().replace("port = 5050", "port = 5050\nworkers = 3")
    open(path, "w").write(path_text)
    cfg = load_config(path)
    assert (cfg.server_workers, cfg.cache_url, cfg.archive_cache_size) == (
        3,
        "redis://cache.example.com:6379/1",
        0,
    )


@pytest.mark.parametrize(
    "app,message",
    [
        (
            "cache.url = memcached://x",
            "[app:main] cache.url = 'memcached://x': expected a redis://, rediss:// "
            "or unix:// URL, or nothing",
        ),
        ("archive_cache_size = -1", "[app:main] archive_cache_size = '-1': expected a size in bytes"),
        ("archive_cache_size = 1GB", "[app:main] archive_cache_size = '1GB': expected a size in bytes"),
    ],
)
def test_bad_cache_values_are_one_line(tmp_path, app, message):
    with pytest.raises(ConfigError) as error:
        load_config(write_ini(tmp_path, app=app))
    assert str(error.value).endswith(message)


def test_a_bad_workers_count_is_one_line(tmp_path):
    path = write_ini(tmp_path)
    text = open(path).read().replace("port = 5050", "port = 5050\nworkers = -2")
    open(path, "w").write(text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).endswith(
        "[server:main] workers = '-2': expected a number of processes (0: one per core)"
    )


def test_max_form_body_size(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text("[app:main]\nsession.secret = x\n")
    assert load_config(str(path)).max_form_body_size == 1048576
    path.write_text("[app:main]\nsession.secret = x\nmax_form_body_size = 65536\n")
    assert load_config(str(path)).max_form_body_size == 65536
    # never above the largest body the server takes at all
    path.write_text("[app:main]\nsession.secret = x\nmax_body_size = 4096\n")
    assert load_config(str(path)).max_form_body_size == 4096
    path.write_text("[app:main]\nsession.secret = x\nmax_form_body_size = big\n")
    with pytest.raises(ConfigError) as err:
        load_config(str(path))
    assert str(err.value) == f"{path}: [app:main] max_form_body_size = 'big': expected a size in bytes"


def test_hg_keys(tmp_path):
    cfg = load_config(write_ini(tmp_path))
    assert (cfg.hg_extensions, cfg.hg_evolution) == (("largefiles",), "")
    cfg = load_config(
        write_ini(
            tmp_path, app="hg.extensions = largefiles, evolve topic\nhg.evolution = createmarkers exchange"
        )
    )
    assert cfg.hg_extensions == ("largefiles", "evolve", "topic")
    assert cfg.hg_evolution == "createmarkers,exchange"
    assert load_config(write_ini(tmp_path, app="hg.extensions =")).hg_extensions == ()


@pytest.mark.parametrize(
    "line, why",
    [
        ("hg.extensions = largefiles ../evil", "expected Mercurial extension names"),
        ("hg.evolution = everything", "expected some of all, allowdivergence"),
    ],
)
def test_bad_hg_keys_are_one_line_errors(tmp_path, line, why):
    with pytest.raises(ConfigError) as info:
        load_config(write_ini(tmp_path, app=line))
    assert why in str(info.value) and "\n" not in str(info.value)


def test_kallithea_hgencoding_other_than_utf8_is_ignored_with_a_warning(tmp_path, caplog):
    with caplog.at_level("WARNING", logger="lindos.config"):
        load_config(write_ini(tmp_path, default="hgencoding = utf-8"))
    assert not caplog.records
    with caplog.at_level("WARNING", logger="lindos.config"):
        load_config(write_ini(tmp_path, default="hgencoding = latin-1"))
    assert "hgencoding = latin-1 is ignored" in caplog.text


def test_gist_alias_url_is_kallithea_s_key(tmp_path):
    assert load_config(write_ini(tmp_path)).gist_alias_url == ""
    path = write_ini(tmp_path, app="gist_alias_url = https://gist.example.com/{gistid}")
    assert load_config(path).gist_alias_url == "https://gist.example.com/{gistid}"
    with pytest.raises(
        ConfigError, match=r"gist_alias_url = 'gist.example.com/\{gistid\}': expected an http"
    ):
        load_config(write_ini(tmp_path, app="gist_alias_url = gist.example.com/{gistid}"))
