"""The two-stage outbox: a request records one notification whatever the
number of recipients; the worker expands it into mails, once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lindos.accounts.models import User
from lindos.notifications import events as ev
from lindos.notifications import notify, outbox, pipeline
from lindos.notifications.delivery import LEASE, deliver_due
from lindos.notifications.expand import LostClaim, claim_due, expand_one, expand_pending
from lindos.notifications.models import OutboxMail, PendingNotification
from tests.mail_helpers import expand, outbox_after

pytestmark = pytest.mark.django_db


def make_admins(first: int, last: int):
    User.objects.bulk_create(
        [
            User(username=f"admin{n}", email=f"admin{n}@example.com", is_superuser=True)
            for n in range(first, last)
        ]
    )


def queries_to_notify(event) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        notify(event)
    return [q["sql"] for q in queries]


def test_a_request_writes_one_row_whatever_the_number_of_recipients(smtpd):
    newbie = User.objects.create_user("newbie", "newbie@example.com", "pw")
    make_admins(0, 1)
    event = ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk)
    for_one = queries_to_notify(event)
    make_admins(1, 60)
    for_sixty = queries_to_notify(event)
    assert len(for_one) == len(for_sixty) == 1
    assert "notifications_pendingnotification" in for_sixty[0]
    assert PendingNotification.objects.count() == 2 and OutboxMail.objects.count() == 0
    assert deliver_due().sent == 60  # the second event is the same mails again
    assert sorted(smtpd.recipients) == sorted(f"admin{n}@example.com" for n in range(60))


def test_the_event_is_stored_as_json_and_expanded_later():
    alice = User.objects.create_user("alice", "alice@example.com", "pw")
    pk = notify(ev.PasswordResetRequested(actor_id=None, user_id=alice.pk, reset_url="http://x/r"))
    row = PendingNotification.objects.get(pk=pk)
    assert (row.event_type, row.state, row.mails) == ("PasswordResetRequested", "pending", 0)
    [mail] = outbox_after()
    assert mail.envelope_to == "alice@example.com" and mail.subject == "Password reset link"
    row.refresh_from_db()
    assert (row.state, row.mails, row.attempts) == ("expanded", 1, 1)
    assert mail.created_at == row.created_at  # the retry period counts from the action


def test_expanding_again_writes_no_mail_twice():
    """Even for an event without a natural identity (a password reset may be
    asked for twice), the notification's id keys its mails."""
    alice = User.objects.create_user("alice", "alice@example.com", "pw")
    pk = notify(ev.PasswordResetRequested(actor_id=None, user_id=alice.pk, reset_url="http://x/r"))
    first = expand()
    PendingNotification.objects.filter(pk=pk).update(state="pending")  # as if the mark was lost
    assert expand() == first and OutboxMail.objects.count() == 1
    notify(ev.PasswordResetRequested(actor_id=None, user_id=alice.pk, reset_url="http://x/r2"))
    assert len(expand()) == 1 and OutboxMail.objects.count() == 2  # a second request is mailed


def test_two_workers_never_expand_one_notification():
    alice = User.objects.create_user("alice", "alice@example.com", "pw")
    notify(ev.PasswordChanged(actor_id=None, user_id=alice.pk))
    now = timezone.now()
    [mine] = claim_due(10, now)
    assert claim_due(10, now) == []  # claimed: nobody else gets it
    # The first worker stalls past the lease; a second one takes over.
    [theirs] = claim_due(10, now + LEASE + timedelta(seconds=1))
    with pytest.raises(LostClaim):  # its claim is gone
        expand_one(mine, settings.LINDOS, now)
    assert OutboxMail.objects.count() == 0
    assert len(expand_one(theirs, settings.LINDOS, now)) == 1
    assert PendingNotification.objects.get().state == "expanded"


def test_a_failed_expansion_stays_queued_and_is_retried(smtpd, monkeypatch, caplog):
    alice = User.objects.create_user("alice", "alice@example.com", "pw")
    notify(ev.PasswordChanged(actor_id=None, user_id=alice.pk))
    real = pipeline.record_mails

    def broken(*args, **kwargs):
        real(*args, **kwargs)  # rows written, then the transaction fails
        raise RuntimeError("database went away")

    monkeypatch.setattr(pipeline, "record_mails", broken)
    assert deliver_due().claimed == 0
    row = PendingNotification.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.last_error == "RuntimeError: database went away"
    assert OutboxMail.objects.count() == 0  # rolled back with it
    assert "expanding notification #%d (PasswordChanged) failed" % row.pk in caplog.text
    monkeypatch.setattr(pipeline, "record_mails", real)
    assert deliver_due().claimed == 0  # backing off
    assert deliver_due(now=timezone.now() + timedelta(seconds=31)).sent == 1
    assert smtpd.recipients == ["alice@example.com"]


def test_an_unknown_event_type_is_kept_not_dropped(caplog):
    now = timezone.now()
    PendingNotification.objects.create(
        event_type="Future", event='{"type": "Future"}', next_attempt_at=now, created_at=now
    )
    report = expand_pending()
    assert (report.expanded, report.failed) == (0, 1)
    assert PendingNotification.objects.get().state == "pending"


def test_deliver_due_sends_up_to_its_limit_and_announces_the_rest(smtpd, django_capture_on_commit_callbacks):
    newbie = User.objects.create_user("newbie", "newbie@example.com", "pw")
    make_admins(0, 12)
    notify(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    seen = []
    outbox.on_mail_enqueued.append(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = deliver_due(limit=5)
        assert (report.expanded, report.sent) == (1, 5)
        pending = list(OutboxMail.objects.filter(state="pending").values_list("pk", flat=True))
        assert seen == [sorted(pending)] and len(pending) == 7
    finally:
        outbox.on_mail_enqueued.remove(seen.append)
    assert deliver_due(limit=5).sent == 5 and deliver_due(limit=5).sent == 2
    assert len(set(smtpd.recipients)) == 12


def test_rolled_back_action_records_nothing():
    from django.db import transaction

    alice = User.objects.create_user("alice", "alice@example.com", "pw")
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            notify(ev.PasswordChanged(actor_id=None, user_id=alice.pk))
            raise ZeroDivisionError("roll the action back")
    assert PendingNotification.objects.count() == 0 and expand() == []
