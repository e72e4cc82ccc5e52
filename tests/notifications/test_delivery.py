"""Delivery against a real SMTP server: every mode, login, failures, retries."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from lindos.accounts.models import User
from lindos.notifications import events as ev
from lindos.notifications.delivery import backoff, deliver_due, deliver_rows
from lindos.notifications.models import OutboxMail
from tests.mail_helpers import notify_and_expand
from tests.smtpd import PASSWORD, USER, use_smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return User.objects.create_user(
        "alice", "alice@example.com", "pw", first_name="Alice", last_name="Liddell"
    )


def queue_test_mail(address="someone@example.com"):
    return notify_and_expand(ev.TestMailRequested(actor_id=None, address=address))


@pytest.mark.parametrize("mode", ["plain", "starttls", "ssl"])
@pytest.mark.parametrize("auth", [False, True])
def test_each_mode_delivers(mode, auth, smtp_server_factory, settings, monkeypatch):
    server = smtp_server_factory(mode, auth=auth)
    use_smtp_server(settings, monkeypatch, server)
    ids = queue_test_mail()
    report = deliver_due()
    assert (report.sent, report.failed, report.retrying) == (1, 0, 0)
    assert [m.rcpt_tos for m in server.messages] == [["someone@example.com"]]
    assert server.messages[0].mail_from == "lindos-noreply@example.com"
    assert server.messages[0].message["Subject"] == "Lindos test email"
    row = OutboxMail.objects.get(pk=ids[0])
    assert row.state == "sent" and row.last_reply.startswith("250 2.0.0 Ok: queued as TEST1")
    if auth:
        assert server.auth_mechanisms == ["PLAIN"]  # smtplib's choice when free


def test_default_ports(tmp_path):
    from lindos.cli.config_create import render_config
    from lindos.config import load_config

    path = tmp_path / "x.ini"
    path.write_text(render_config({}))
    assert load_config(str(path)).smtp_port == 25
    path.write_text(render_config({"smtp_use_ssl": "true"}))
    assert load_config(str(path)).smtp_port == 465


@pytest.mark.parametrize("mode", ["plain", "starttls", "ssl"])
@pytest.mark.parametrize("forced", ["LOGIN", "PLAIN"])
def test_smtp_auth_forces_the_mechanism(mode, forced, smtp_server_factory, settings, monkeypatch):
    server = smtp_server_factory(mode, auth=True)
    use_smtp_server(settings, monkeypatch, server, smtp_auth=(forced,))
    queue_test_mail()
    assert deliver_due().sent == 1
    assert server.auth_mechanisms == [forced]


def test_smtp_auth_for_a_server_that_hides_auth(smtp_server_factory, settings, monkeypatch):
    server = smtp_server_factory("plain", auth=True, advertise_auth=False)
    use_smtp_server(settings, monkeypatch, server)
    [row_id] = queue_test_mail()
    report = deliver_due()
    assert report.retrying == 1 and server.messages == []
    assert "AUTH extension not supported" in OutboxMail.objects.get(pk=row_id).last_error
    use_smtp_server(settings, monkeypatch, server, smtp_auth=("LOGIN",))
    assert deliver_rows([row_id]).sent == 1
    assert server.auth_mechanisms == ["LOGIN"]


def test_no_login_unless_username_and_password(smtp_server_factory, settings, monkeypatch):
    server = smtp_server_factory("plain", auth=True)
    use_smtp_server(settings, monkeypatch, server, smtp_password="")
    queue_test_mail()
    assert deliver_due().sent == 1
    assert server.auth_mechanisms == []


def test_wrong_password_keeps_the_mail(smtp_server_factory, settings, monkeypatch, caplog):
    server = smtp_server_factory("starttls", auth=True)
    use_smtp_server(settings, monkeypatch, server, smtp_password="wrong")
    [row_id] = queue_test_mail()
    report = deliver_due()
    assert report.retrying == 1 and server.messages == []
    row = OutboxMail.objects.get(pk=row_id)
    assert row.state == "pending" and row.attempts == 1
    assert row.last_error.startswith("SMTP login failed: 535")
    assert row.next_attempt_at > timezone.now()
    # The whole mail is in the log, for an operator without working SMTP.
    assert "Envelope-To: someone@example.com" in caplog.text
    assert "If you can read it, Lindos can send email." in caplog.text
    use_smtp_server(settings, monkeypatch, server, smtp_password=PASSWORD)
    assert deliver_rows([row_id]).sent == 1
    assert len(server.messages) == 1


def test_temporary_reply_retries_with_backoff(smtpd):
    smtpd.replies["data"] = "451 4.3.0 Try again later"
    [row_id] = queue_test_mail()
    report = deliver_due()
    assert report.retrying == 1
    row = OutboxMail.objects.get(pk=row_id)
    assert row.state == "pending" and row.last_error == "refused: 451 4.3.0 Try again later"
    assert deliver_due().claimed == 0  # not due yet
    smtpd.replies.clear()
    later = timezone.now() + backoff(1) + timedelta(seconds=1)
    assert deliver_due(now=later).sent == 1
    assert [m.rcpt_tos for m in smtpd.messages] == [["someone@example.com"]]


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(50).total_seconds() == 3600


def test_gives_up_after_the_retry_period(smtpd, settings):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, email_retry_seconds=60)
    smtpd.replies["rcpt"] = "452 4.2.2 Mailbox full"
    [row_id] = queue_test_mail()
    deliver_due()
    row = OutboxMail.objects.get(pk=row_id)
    assert row.state == "pending" and row.next_attempt_at <= row.created_at + timedelta(seconds=60)
    report = deliver_due(now=row.created_at + timedelta(seconds=61))
    assert report.failed == 1
    row.refresh_from_db()
    assert row.state == "failed"
    assert row.last_error == "gave up after 2 attempts: recipient refused: 452 4.2.2 Mailbox full"


def test_permanent_reply_fails_with_the_server_answer(smtpd):
    smtpd.replies["rcpt"] = lambda addr: "550 5.1.1 No such user" if "bad" in addr else None
    bad, _good = queue_test_mail("bad@example.com")[0], queue_test_mail("good@example.com")[0]
    report = deliver_due()
    assert (report.sent, report.failed) == (1, 1)
    assert OutboxMail.objects.get(pk=bad).last_error == "recipient refused: 550 5.1.1 No such user"
    assert OutboxMail.objects.get(pk=bad).state == "failed"
    assert smtpd.recipients == ["good@example.com"]
    assert deliver_due(now=timezone.now() + timedelta(days=1)).claimed == 0


def test_server_down_then_up_delivers_each_mail_once(smtpd, alice):
    smtpd.stop()
    ids = [queue_test_mail(f"user{n}@example.com")[0] for n in range(5)]
    report = deliver_due()
    assert report.retrying == 5
    assert {r.error.split(":")[0] for r in report.results} == {"cannot connect"}
    smtpd.start()
    later = timezone.now() + timedelta(minutes=5)
    assert deliver_due(now=later).sent == 5
    assert deliver_due(now=later + timedelta(hours=5)).claimed == 0
    assert sorted(smtpd.recipients) == sorted(f"user{n}@example.com" for n in range(5))
    assert set(OutboxMail.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"sent"}


def test_server_dropping_mid_batch_reconnects(smtpd):
    ids = [queue_test_mail(f"user{n}@example.com")[0] for n in range(3)]
    smtpd.replies["data"] = "421 4.3.2 Shutting down"
    report = deliver_due()
    assert report.retrying == 3
    smtpd.replies.clear()
    assert deliver_rows(ids).sent == 3


def test_sent_row_is_not_sent_again(smtpd):
    [row_id] = queue_test_mail()
    assert deliver_rows([row_id]).sent == 1
    assert deliver_rows([row_id]).claimed == 0
    assert deliver_due(now=timezone.now() + timedelta(days=3)).claimed == 0
    assert len(smtpd.messages) == 1


def test_one_connection_per_batch(smtpd, monkeypatch):
    opened = []
    original = smtplib.SMTP.connect

    def counting(self, *args, **kwargs):
        opened.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting)
    for n in range(20):
        queue_test_mail(f"user{n}@example.com")
    assert deliver_due().sent == 20
    assert len(opened) == 1 and len(smtpd.messages) == 20


def test_not_configured_logs_the_whole_mail(settings, alice, caplog):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, smtp_server="")
    [row_id] = notify_and_expand(ev.PasswordChanged(actor_id=None, user_id=alice.pk))
    report = deliver_due()
    assert report.failed == 1
    row = OutboxMail.objects.get(pk=row_id)
    assert row.state == "failed" and "smtp_server is not configured" in row.last_error
    warning = [r for r in caplog.records if r.levelname == "WARNING"][-1].getMessage()
    for expected in (
        "Envelope-To: alice@example.com",
        "To: Alice Liddell <alice@example.com>",
        "Subject: Password reset notification",
        "X-Kallithea-Notification-Type: message",
        "--- plain body ---",
        "--- html body ---",
        "<p>Hello Alice Liddell,</p>",
    ):
        assert expected in warning


def test_two_workers_never_claim_one_row(smtpd):
    from lindos.notifications.delivery import claim_due

    for n in range(10):
        queue_test_mail(f"user{n}@example.com")
    now = timezone.now()
    first, second = claim_due(6, now), claim_due(6, now)
    assert len(first) == 6 and len(second) == 4
    assert not {r.pk for r in first} & {r.pk for r in second}


def test_stale_claim_is_taken_again(smtpd):
    from lindos.notifications.delivery import LEASE, claim_due

    queue_test_mail()
    now = timezone.now()
    assert len(claim_due(10, now)) == 1  # a worker that then dies
    assert claim_due(10, now) == []
    assert deliver_due(now=now + LEASE + timedelta(seconds=1)).sent == 1
