"""The default mode: ``lindos serve`` delivers mail itself, no broker."""

from tests.background.harness import Browser, enqueue


def test_password_reset_mail_is_delivered_by_serve_itself(make_home, smtp_sink, tmp_path):
    home = make_home(f"sqlite:///{tmp_path}/lindos.db?timeout=60", smtp_port=smtp_sink.port)
    home.run("db-upgrade")
    home.run(
        "create-user", "--username", "alice", "--email", "alice@example.com", "--password", "secret-pass-1"
    )
    serve = home.serve()

    status, page = Browser(home.base_url).post_form("/_admin/password_reset", {"email": "alice@example.com"})

    assert status == 200
    smtp_sink.wait_for(1, timeout=20)
    assert smtp_sink.recipients() == ["alice@example.com"]
    assert "/_admin/password_reset_confirmation/" in smtp_sink.messages[0][1].as_string()
    serve.wait_for_log("1 sent", timeout=10)
    assert home.error_lines() == []


def test_mail_left_pending_is_delivered_when_serve_starts(make_home, smtp_sink, tmp_path):
    """The outbox is the queue: mail written while no server ran is sent
    by the next ``lindos serve`` without any wake-up."""
    home = make_home(f"sqlite:///{tmp_path}/lindos.db?timeout=60", smtp_port=smtp_sink.port)
    home.run("db-upgrade")
    expected = enqueue(home, 25, tag="pending")

    home.serve()

    smtp_sink.wait_for(25, timeout=30)
    assert sorted(smtp_sink.recipients()) == sorted(expected)
    assert home.error_lines() == []
