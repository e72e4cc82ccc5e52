"""Claims on outbox rows and notifications: short leases, kept alive while
a worker works, so a dead worker's mail goes out minutes later and a live
worker's mail is never sent twice."""

import dataclasses
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from lindos.accounts.models import User
from lindos.notifications import events as ev
from lindos.notifications import expand as expansion
from lindos.notifications import notify
from lindos.notifications.delivery import LEASE, claim_due, deliver_due, lease, send_rows
from lindos.notifications.models import OutboxMail, PendingNotification
from tests.mail_helpers import notify_and_expand

pytestmark = pytest.mark.django_db

STEP = timedelta(minutes=2)  # how far the fake clock moves at each reading


def queue_mails(count: int) -> list[str]:
    addresses = [f"user{n}@example.com" for n in range(count)]
    for address in addresses:
        notify_and_expand(ev.TestMailRequested(actor_id=None, address=address))
    return addresses


def age_claims(model, by: timedelta, **filters) -> None:
    """As if the claims were taken `by` earlier (a worker that died then)."""
    model.objects.filter(**filters).update(claimed_at=F("claimed_at") - by)


class SlowClock:
    """A clock that moves STEP at each reading; at each reading after the
    first `quiet` ones (the worker's own claiming), a rival worker polls for
    claims whose lease ran out, as it would meanwhile."""

    def __init__(self, start, rival, quiet=0):
        self.now, self.rival, self.quiet, self.stolen = start, rival, quiet, []

    def __call__(self):
        self.now += STEP
        if self.quiet:
            self.quiet -= 1
        else:
            self.stolen += self.rival(self.now)
        return self.now


def test_the_lease_is_minutes_and_outlasts_a_slow_smtp_server():
    assert lease() == LEASE == timedelta(minutes=5)  # smtp_timeout 30 s by default
    slow = dataclasses.replace(settings.LINDOS, smtp_timeout=120.0)
    assert lease(slow) > 3 * timedelta(seconds=120)


def test_a_dead_workers_mails_go_out_once_after_the_lease(smtpd):
    addresses = queue_mails(3)
    now = timezone.now()
    assert len(claim_due(10, now)) == 3  # a worker that is then killed
    assert deliver_due(now=now + LEASE - timedelta(seconds=1)).claimed == 0
    age_claims(OutboxMail, LEASE + timedelta(seconds=1))
    report = deliver_due()
    assert (report.claimed, report.sent) == (3, 3)
    assert deliver_due().claimed == 0
    assert sorted(smtpd.recipients) == addresses


def test_a_worker_that_lost_its_claims_sends_nothing(smtpd):
    addresses = queue_mails(3)
    now = timezone.now()
    mine = claim_due(10, now)
    # This worker stalls past the lease; another one takes its rows over.
    later = now + LEASE + timedelta(seconds=1)
    theirs = claim_due(10, later)
    assert len(theirs) == 3
    report = send_rows(mine, settings.LINDOS, later)
    assert (report.sent, report.lost) == (0, 3) and smtpd.messages == []
    assert send_rows(theirs, settings.LINDOS, later).sent == 3
    assert sorted(smtpd.recipients) == addresses
    assert set(OutboxMail.objects.values_list("state", flat=True)) == {"sent"}


def test_a_row_taken_over_in_the_middle_of_a_batch_is_left_to_the_other_worker(smtpd):
    addresses = queue_mails(3)
    now = timezone.now()
    mine = claim_due(10, now)
    age_claims(OutboxMail, LEASE + timedelta(seconds=1), pk=mine[1].pk)
    [theirs] = claim_due(10, now)
    assert theirs.pk == mine[1].pk
    report = send_rows(mine, settings.LINDOS, now)
    assert (report.sent, report.lost) == (2, 1)
    assert send_rows([theirs], settings.LINDOS, now).sent == 1
    assert sorted(smtpd.recipients) == addresses


def test_renewal_keeps_a_slow_batchs_rows(smtpd):
    """Five mails at two minutes each: the batch lasts twice the lease, yet
    a worker polling all along takes none of them over."""
    addresses = queue_mails(5)
    start = timezone.now()
    rows = claim_due(10, start)
    clock = SlowClock(start, rival=lambda now: claim_due(10, now))
    report = send_rows(rows, settings.LINDOS, clock)
    assert clock.now - start > 2 * LEASE
    assert clock.stolen == []
    assert (report.sent, report.lost) == (5, 0)
    assert sorted(smtpd.recipients) == addresses


def test_renewal_keeps_a_slow_expansion_batchs_notifications(smtpd):
    users = [User.objects.create_user(f"user{n}", f"user{n}@example.com", "pw") for n in range(5)]
    for user in users:
        notify(ev.PasswordChanged(actor_id=None, user_id=user.pk))
    start = timezone.now()
    clock = SlowClock(start, rival=lambda now: expansion.claim_due(10, now), quiet=1)
    report = expansion.expand_pending(clock=clock)
    assert clock.now - start > 2 * LEASE
    assert clock.stolen == []
    assert (report.expanded, report.lost) == (5, 0)
    assert OutboxMail.objects.count() == 5


def test_a_dead_workers_notifications_are_expanded_after_the_lease(smtpd):
    user = User.objects.create_user("alice", "alice@example.com", "pw")
    notify(ev.PasswordChanged(actor_id=None, user_id=user.pk))
    now = timezone.now()
    assert len(expansion.claim_due(10, now)) == 1  # a worker that is then killed
    assert expansion.expand_pending(now=now + LEASE - timedelta(seconds=1)).claimed == 0
    age_claims(PendingNotification, LEASE + timedelta(seconds=1))
    assert deliver_due().sent == 1
    assert smtpd.recipients == ["alice@example.com"]
