"""Start-up reads the settings from the database and leaves no connection
or transaction behind: Kallithea had this bug,
a start-up session left open and reused after MySQL had dropped it."""

import json
import subprocess
import sys

import pytest
from django.db import connections

from lindos.appsettings.current import current_app_settings, load_app_settings_at_startup, save_app_settings


def assert_nothing_open():
    for conn in connections.all():
        assert conn.connection is None, f"connection {conn.alias!r} left open"
        assert not conn.in_atomic_block, f"transaction left open on {conn.alias!r}"


@pytest.mark.django_db(transaction=True)
def test_startup_read_closes_its_connection():
    save_app_settings(title="Acme Code", registration="disabled")
    connections.close_all()
    snapshot = load_app_settings_at_startup()
    assert (snapshot.title, snapshot.registration) == ("Acme Code", "disabled")
    assert current_app_settings() == snapshot
    assert_nothing_open()


@pytest.mark.django_db(transaction=True)
def test_startup_read_without_a_settings_row_uses_defaults():
    connections.close_all()
    snapshot = load_app_settings_at_startup()
    assert (snapshot.title, snapshot.registration) == ("Lindos", "manual")
    assert_nothing_open()


@pytest.mark.django_db
def test_a_callers_open_transaction_is_left_to_the_caller():
    """Inside someone else's transaction (a command, a test) nothing is closed
    under their feet."""
    save_app_settings(title="Inside")
    assert load_app_settings_at_startup().title == "Inside"
    assert connections["default"].connection is not None
    assert connections["default"].in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_settings_changes_show_in_pages(client):
    save_app_settings(title="Acme Code")
    assert "<title>Log in · Acme Code</title>" in client.get("/_admin/login").content.decode()


CHECK = """
import json, os
from lindos.wsgi import application
from django.db import connections
from lindos.appsettings.current import current_app_settings
print(json.dumps({
    "open": [c.alias for c in connections.all() if c.connection is not None],
    "atomic": [c.alias for c in connections.all() if c.in_atomic_block],
    "title": current_app_settings().title,
}))
"""


def run_lindos(*args, config, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "lindos", *args, "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("migrated", [True, False], ids=["migrated", "fresh"])
def test_building_the_wsgi_app_leaves_no_connection_open(tmp_path, migrated):
    """A real process, a fresh SQLite database: build the WSGI application
    exactly as ``lindos serve`` and WSGI servers do, then look."""
    config = tmp_path / "lindos.ini"
    subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", str(config)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    if migrated:
        run_lindos("db-upgrade", config=config)
        code = (
            "import os; os.environ['DJANGO_SETTINGS_MODULE']='lindos.settings'; import django; django.setup(); "
            "from lindos.appsettings.current import save_app_settings; save_app_settings(title='From the DB')"
        )
        subprocess.run(
            [sys.executable, "-c", code], check=True, timeout=60, env={**_env(), "LINDOS_CONFIG": str(config)}
        )
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        timeout=60,
        env={**_env(), "LINDOS_CONFIG": str(config)},
    )
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state == {"open": [], "atomic": [], "title": "From the DB" if migrated else "Lindos"}


def _env():
    import os

    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env
