"""The database-sensitive parts on SQLite, PostgreSQL and MariaDB, each run
by real ``lindos`` processes against a private server (tests/services.py)."""

import json
import subprocess
import sys
import textwrap
import time

import pytest

from tests.background.harness import enqueue


def test_migrations_apply_and_check_passes(database_url, make_home):
    home = make_home(database_url)
    before = home.run("check", check=False)
    assert before.returncode == 1
    assert "database: FAILED:" in before.stdout and "lindos db-upgrade" in before.stdout

    home.run("db-upgrade")

    after = home.run("check")
    assert "database: ok" in after.stdout


def test_startup_settings_read_leaves_no_connection_open(database_url, make_home):
    home = make_home(database_url)
    home.run("db-upgrade")
    out = home.python(
        textwrap.dedent("""
        import json
        from django.db import connections
        from lindos.appsettings.current import load_app_settings_at_startup, save_app_settings
        save_app_settings(title="Proof title")
        connections.close_all()
        snapshot = load_app_settings_at_startup()
        still_open = [c.alias for c in connections.all(initialized_only=True) if c.connection is not None]
        print(json.dumps({"title": snapshot.title, "open": still_open}))
    """)
    )
    assert json.loads(out.strip().splitlines()[-1]) == {"title": "Proof title", "open": []}


def test_outbox_rows_are_delivered_once_by_competing_workers(database_url, make_home, smtp_sink):
    """Three processes deliver the same 150 due rows at once: each mail
    arrives exactly once (the claim in delivery)."""
    home = make_home(database_url, smtp_port=smtp_sink.port)
    home.run("db-upgrade")
    expected = enqueue(home, 150, tag="race")
    start_at = time.time() + 3  # after the three have imported Django
    code = textwrap.dedent(f"""
        import time
        from lindos.background.tasks import deliver_all_due
        time.sleep(max(0, {start_at} - time.time()))
        print(deliver_all_due(close_at_end=True))
    """)
    prelude = f"from lindos.cli import setup_django; setup_django({home.ini!r})\n"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", prelude + code],
            env=home.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    handled = [int(out.strip().splitlines()[-1]) for out, _ in outputs]

    smtp_sink.wait_for(150, timeout=30)
    assert sum(handled) == 150
    assert sorted(smtp_sink.recipients()) == sorted(expected)
