"""Distributed mode: ``use_celery = true``, Redis, ``lindos worker``."""

from collections import Counter

from tests.background.harness import enqueue


def test_worker_refuses_to_start_without_use_celery(make_home, tmp_path):
    home = make_home(f"sqlite:///{tmp_path}/lindos.db")
    result = home.run("worker", check=False)
    assert result.returncode == 1
    assert "use_celery is false" in result.stderr
    assert result.stderr.count("\n") == 1


def test_two_workers_share_the_outbox_and_send_each_mail_once(
    make_home, postgres_server, fresh_redis, smtp_sink
):
    home = make_home(
        postgres_server.create_database(),
        smtp_port=smtp_sink.port,
        broker_url=fresh_redis.url,
        sweep_seconds=0.5,
    )
    home.run("db-upgrade")
    first = home.worker("worker1", concurrency=2)
    second = home.worker("worker2", concurrency=2)

    # 120 mails announced in 12 tasks, while both workers also sweep every 0.5 s.
    expected = enqueue(home, 120, tag="shared", per_transaction=10, publish=True)

    smtp_sink.wait_for(120, timeout=60)
    counts = Counter(smtp_sink.recipients())
    assert sorted(counts) == sorted(expected)
    assert max(counts.values()) == 1
    logs = first.log() + second.log()
    assert "sent: #" in first.log() and "sent: #" in second.log(), logs[-3000:]
    assert home.error_lines() == []


def test_check_reports_each_part_on_one_line(make_home, postgres_server, fresh_redis, smtp_sink):
    home = make_home(postgres_server.create_database(), smtp_port=smtp_sink.port, broker_url=fresh_redis.url)
    home.run("db-upgrade")

    good = home.run("check")

    assert good.stdout.splitlines() == [
        f"configuration: ok ({home.ini})",
        f"links: ok (mail links on {home.base_url}; hosts allowed: 127.0.0.1, localhost, [::1])",
        "database: ok (postgresql)",
        f"smtp: ok (127.0.0.1:{smtp_sink.port})",
        f"broker: ok ({fresh_redis.url})",
    ]
    assert smtp_sink.count() == 0  # checked, not sent


def test_check_fails_when_smtp_and_broker_are_unreachable(make_home, tmp_path):
    from tests.services import free_port

    smtp_port, broker_port = free_port(), free_port()
    home = make_home(
        f"sqlite:///{tmp_path}/lindos.db",
        smtp_port=smtp_port,
        broker_url=f"redis://127.0.0.1:{broker_port}/0",
    )
    home.run("db-upgrade")

    bad = home.run("check", check=False)

    assert bad.returncode == 1
    lines = bad.stdout.splitlines()
    assert lines[0].startswith("configuration: ok")
    assert lines[1].startswith("links: ok")
    assert lines[2] == "database: ok (sqlite)"
    assert lines[3].startswith(f"smtp: FAILED: 127.0.0.1:{smtp_port}: ")
    assert "refused" in lines[3].lower()
    assert lines[4].startswith("broker: FAILED: ")
    assert len(lines) == 5


def test_check_reports_a_broken_configuration(tmp_path):
    import subprocess
    import sys

    ini = tmp_path / "lindos.ini"
    ini.write_text("[app:main]\nsession.secret = x\nsmtp_port = none\n")
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "check", "-c", str(ini)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("configuration: FAILED: ")
    assert "smtp_port" in result.stdout.splitlines()[0]


def test_every_process_writing_mail_announces_it_to_the_broker(
    make_home, postgres_server, fresh_redis, smtp_sink
):
    """Not only ``lindos serve``: any process (another WSGI server, a
    command) that commits mail with use_celery = true queues a task."""
    home = make_home(
        postgres_server.create_database(),
        smtp_port=smtp_sink.port,
        broker_url=fresh_redis.url,
        sweep_seconds=300,
    )
    home.run("db-upgrade")
    home.worker(concurrency=1)  # its one sweep at start finds nothing

    expected = enqueue(home, 3, tag="cmd", publish=False)

    smtp_sink.wait_for(3, timeout=30)
    assert sorted(smtp_sink.recipients()) == sorted(expected)
