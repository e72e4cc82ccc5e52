"""Admin > Email (/_admin/settings/email) and ``lindos send-test-email``."""

import dataclasses

import pytest

from lindos.accounts.models import User
from lindos.cli import main
from lindos.cli.config_create import render_config
from lindos.notifications import events as ev
from lindos.notifications.delivery import deliver_due
from lindos.notifications.models import OutboxMail
from tests.mail_helpers import notify_and_expand
from tests.smtpd import PASSWORD, USER, use_smtp_server

pytestmark = pytest.mark.django_db
URL = "/_admin/settings/email"


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_user("root", "root@example.com", "pw", is_superuser=True)
    client.force_login(admin)
    return client


def test_only_admins(client, db):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(User.objects.create_user("joe", "joe@example.com", "pw"))
    assert client.get(URL).status_code == 404


def test_settings_in_effect_hide_the_password(admin_client, smtp_server_factory, settings, monkeypatch):
    server = smtp_server_factory("starttls", auth=True)
    use_smtp_server(settings, monkeypatch, server)
    page = admin_client.get(URL).content.decode()
    assert f"<code>smtp_port</code></th><td>{server.port}</td>" in page
    assert "<code>smtp_use_tls</code></th><td>true</td>" in page
    assert f"<code>smtp_username</code></th><td>{USER}</td>" in page
    assert "<code>smtp_password</code></th><td>(set, hidden)</td>" in page
    assert PASSWORD not in page


def test_test_mail_goes_through_the_queue_and_shows_the_answer(admin_client, smtpd):
    page = admin_client.post(URL, {"action": "test", "address": "check@example.com"}, follow=True)
    text = page.content.decode()
    assert (
        "Test email to check@example.com sent. The SMTP server answered: 250 2.0.0 Ok: queued as TEST1"
        in text
    )
    assert smtpd.recipients == ["check@example.com"]
    row = OutboxMail.objects.get()
    assert row.state == "sent" and row.mail_type == "test_mail"
    assert "<td>check@example.com</td>" in text  # in "Recently sent"


def test_test_mail_failure_shows_the_error(admin_client, smtpd):
    smtpd.replies["rcpt"] = "550 5.1.1 <check@example.com>: Recipient address rejected"
    page = admin_client.post(URL, {"action": "test", "address": "check@example.com"}, follow=True)
    assert (
        "not sent: recipient refused: 550 5.1.1 &lt;check@example.com&gt;: Recipient address "
        "rejected. It stays in the outbox (failed)."
    ) in page.content.decode()


def test_outbox_lists_failed_and_pending_and_retries(admin_client, smtpd):
    smtpd.replies["rcpt"] = "550 5.1.1 No such user"
    [failed] = notify_and_expand(ev.TestMailRequested(actor_id=None, address="a@example.com"))
    deliver_due()
    smtpd.replies["rcpt"] = "451 4.3.0 Later"
    [pending] = notify_and_expand(ev.TestMailRequested(actor_id=None, address="b@example.com"))
    deliver_due()
    page = admin_client.get(URL).content.decode()
    assert "recipient refused: 550 5.1.1 No such user" in page
    assert "recipient refused: 451 4.3.0 Later" in page
    smtpd.replies.clear()
    page = admin_client.post(URL, {"action": "retry", "id": [failed]}, follow=True).content.decode()
    assert "1 mail(s) queued again: 1 sent now" in page
    assert OutboxMail.objects.get(pk=failed).state == "sent"
    admin_client.post(URL, {"action": "discard", "id": [pending]})
    assert OutboxMail.objects.get(pk=pending).state == "discarded"
    assert smtpd.recipients == ["a@example.com"]


def test_preview_only_in_debug(admin_client, settings):
    assert admin_client.get(URL + "/preview").status_code == 404
    settings.LINDOS = dataclasses.replace(settings.LINDOS, debug=True)
    assert "pull_request_comment_closing" in admin_client.get(URL + "/preview").content.decode()
    html = admin_client.get(URL + "/preview/cs_comment").content.decode()
    assert "<b>src/frob.py</b>, line 42" in html
    source = admin_client.get(URL + "/preview/cs_comment?part=source").content.decode()
    assert "X-Kallithea-Notification-Type: cs_comment" in source


def write_ini(tmp_path, server, **extra):
    path = tmp_path / "lindos.ini"
    path.write_text(
        render_config(
            {
                "smtp_server": "127.0.0.1",
                "smtp_port": str(server.port),
                "app_email_from": "Lindos <lindos-noreply@example.com>",
                **extra,
            }
        )
    )
    return str(path)


def test_cli_sends_and_prints_the_answer(smtpd, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LINDOS_CONFIG", str(tmp_path / "unused.ini"))
    assert main(["send-test-email", "-c", write_ini(tmp_path, smtpd), "cli@example.com"]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"Test email to cli@example.com sent via 127.0.0.1:{smtpd.port}: 250 2.0.0 Ok: queued as TEST1\n"
    )
    assert smtpd.recipients == ["cli@example.com"]


def test_cli_fails_with_the_smtp_error(smtp_server_factory, tmp_path, monkeypatch, capsys):
    server = smtp_server_factory("plain", auth=True)
    monkeypatch.setenv("LINDOS_CONFIG", str(tmp_path / "unused.ini"))
    ini = write_ini(tmp_path, server, smtp_username=USER, smtp_password="wrong")
    assert main(["send-test-email", "-c", ini, "cli@example.com"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"lindos: error: test email to cli@example.com not sent via "
        f"127.0.0.1:{server.port}: SMTP login failed: 535 5.7.8 "
        "Authentication credentials invalid (outbox mail #"
    )
    assert err.endswith(" is pending)\n")


def test_cli_rejects_a_bad_address(smtpd, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LINDOS_CONFIG", str(tmp_path / "unused.ini"))
    assert main(["send-test-email", "-c", write_ini(tmp_path, smtpd), "not-an-address"]) == 1
    assert capsys.readouterr().err == "lindos: error: not a valid email address: 'not-an-address'\n"


def test_outbox_shows_notifications_waiting_for_the_worker(admin_client):
    from lindos.notifications import notify
    from lindos.notifications.models import PendingNotification

    notify(ev.PasswordChanged(actor_id=None, user_id=User.objects.get().pk))
    PendingNotification.objects.update(last_error="RuntimeError: database went away", attempts=2)
    page = admin_client.get(URL).content.decode()
    assert (
        "1 notification(s) recorded and waiting for the worker to turn them into mail; "
        'the oldest could not be expanded yet: <span class="error">RuntimeError: database '
        "went away</span> (2 attempts)."
    ) in page
