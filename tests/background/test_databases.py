"""The database-sensitive parts on SQLite, PostgreSQL and MariaDB, each run
by real ``lindos`` processes against a private server (tests/services.py)."""

import json
import textwrap

import pytest

from tests.background.harness import LindosHome, SmtpSink

ENQUEUE = textwrap.dedent("""
    from django.db import transaction
    from lindos.notifications.compose import ComposedMail
    from lindos.notifications.outbox import enqueue_mails
    count, tag = int(sys.argv[1]), sys.argv[2]
    mails = [ComposedMail(
        mail_type="test", notification_type="", user_id=None, reason="test",
        envelope_from="lindos@example.com", envelope_to=f"user{i}@example.com",
        subject=f"{tag} {i}",
        message=f"From: lindos@example.com\\nTo: user{i}@example.com\\n"
                f"Subject: {tag} {i}\\nMessage-ID: <{tag}.{i}@example.com>\\n\\nmail {i}\\n")
        for i in range(count)]
    with transaction.atomic():
        ids = enqueue_mails(mails)
    print(len(ids))
""")


def enqueue(home: LindosHome, count: int, tag: str = "mail") -> None:
    """Write `count` pending mails to the outbox from a separate process."""
    code = "sys.argv = ['x', %r, %r]\n" % (str(count), tag) + ENQUEUE
    assert home.python(code).strip() == str(count)


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def test_migrations_apply_and_check_passes(database_url, tmp_path):
    home = LindosHome(tmp_path / "home", database_url)
    before = home.run("check", check=False)
    assert before.returncode == 1
    assert "database: FAILED:" in before.stdout and "lindos db-upgrade" in before.stdout

    home.run("db-upgrade")

    after = home.run("check")
    assert "database: ok" in after.stdout


def test_startup_settings_read_leaves_no_connection_open(database_url, tmp_path):
    home = LindosHome(tmp_path / "home", database_url)
    home.run("db-upgrade")
    out = home.python(textwrap.dedent("""
        import json
        from django.db import connections
        from lindos.appsettings.current import load_app_settings_at_startup, save_app_settings
        save_app_settings(title="Proof title")
        connections.close_all()
        snapshot = load_app_settings_at_startup()
        still_open = [c.alias for c in connections.all(initialized_only=True) if c.connection is not None]
        print(json.dumps({"title": snapshot.title, "open": still_open}))
    """))
    assert json.loads(out.strip().splitlines()[-1]) == {"title": "Proof title", "open": []}
