"""Expanding notifications: the worker's first stage.

A ``PendingNotification`` (written by ``pipeline.notify`` in the request)
becomes its outbox rows here, each notification in a transaction of its
own: load the facts, resolve the recipients, drop non-readers, compose,
write the rows with their dedupe keys, mark it expanded
(``pipeline.record_mails`` holds that policy).  ``delivery.deliver_due``
expands before it sends, so every worker does this as part of its polling.

Policy:
- notifications are claimed like outbox rows (``claims``), so two
  workers never expand one; a claim lasts ``claims.LEASE`` (5 minutes) and the worker renews the claims
  of its batch as it goes (``claims.renew_claims``), so a claim whose
  worker died is claimable again minutes later while a slow batch keeps its
  own; a notification taken over by another worker is left to that one (the
  transaction that marks it expanded checks the claim and rolls back);
- idempotent: the rows and the "expanded" mark commit together, and every
  row has a dedupe key (the event's natural identity, else the
  notification's id), so an expansion repeated after a crash or a lost
  claim writes no mail twice;
- an expansion that fails (database trouble, an event type this version
  does not know) rolls back, keeps the error on the notification, and is
  tried again with the delivery backoff: a notification is never dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lindos.notifications import events, outbox, pipeline
from lindos.notifications.claims import LEASE, backoff, claim, renew_claims
from lindos.notifications.models import PendingNotification

log = logging.getLogger(__name__)

# Notifications claimed per claim: small, so several workers share a
# backlog and a mail budget is overshot by little.
CLAIM_BATCH = 20


@dataclass
class ExpansionReport:
    claimed: int = 0
    expanded: int = 0
    failed: int = 0
    mail_ids: list[int] = field(default_factory=list)  # outbox rows written (or found)
    lost: int = 0  # claims another worker took over: left to it

    def __str__(self):
        return (
            f"{self.claimed} notifications claimed, {self.expanded} expanded "
            f"to {len(self.mail_ids)} mails, {self.failed} to retry"
        )


class LostClaim(Exception):
    """Another worker took the notification over (our claim's lease ran out)."""


def claim_due(limit: int, now: datetime, ids=None) -> list[PendingNotification]:
    """Claim up to `limit` notifications that are due (or, given `ids`,
    those of them still pending, due or not)."""
    if ids is not None:
        return claim(
            PendingNotification.objects.filter(pk__in=list(ids), state=PendingNotification.PENDING),
            limit,
            now,
            PendingNotification.EXPANDING,
        )
    due = Q(state=PendingNotification.PENDING, next_attempt_at__lte=now) | Q(
        state=PendingNotification.EXPANDING, claimed_at__lt=now - LEASE
    )
    return claim(PendingNotification.objects.filter(due), limit, now, PendingNotification.EXPANDING)


def expand_one(notification: PendingNotification, config, now: datetime) -> list[int] | None:
    """Write the outbox rows of one claimed notification and mark it
    expanded, in one transaction; the row ids, or None when it must wait
    for another try.  Raises LostClaim (after rolling back) when another
    worker took it over."""
    mine = PendingNotification.objects.filter(pk=notification.pk, claim_token=notification.claim_token)
    attempts = notification.attempts + 1
    try:
        with transaction.atomic():
            event = events.event_from_json(notification.event)
            ids = pipeline.record_mails(
                event,
                config=config,
                scope=f"notification:{notification.pk}",
                now=now,
                created_at=notification.created_at,
                announce_on_commit=False,
            )
            done = mine.filter(state=PendingNotification.EXPANDING).update(
                state=PendingNotification.EXPANDED,
                expanded_at=now,
                attempts=attempts,
                mails=len(ids),
                last_error="",
            )
            if not done:
                raise LostClaim
    except LostClaim:
        log.warning(
            "notification #%s was taken over by another worker; leaving it to that one", notification.pk
        )
        raise
    except Exception as exc:
        next_at = now + backoff(attempts)
        log.exception(
            "expanding notification #%s (%s) failed (attempt %s); trying again at %s",
            notification.pk,
            notification.event_type,
            attempts,
            next_at.isoformat(),
        )
        try:
            mine.update(
                state=PendingNotification.PENDING,
                attempts=attempts,
                next_attempt_at=next_at,
                last_error=f"{type(exc).__name__}: {exc}",
            )
        except Exception:
            # The database itself is in trouble: the claim's lease frees it.
            log.exception("could not put notification #%s back in the queue", notification.pk)
        return None
    return ids


def expand_pending(
    limit: int = 100,
    *,
    ids=None,
    now: datetime | None = None,
    config=None,
    max_mails: int | None = None,
    announce: bool = True,
    clock=None,
) -> ExpansionReport:
    """Expand up to `limit` due notifications (only `ids`, if given), or
    fewer once `max_mails` rows were written.  With `announce`, the outbox
    listeners are told the new rows once all is committed.  `clock` gives
    the time as the batch goes on (default: the current time, or `now`
    frozen when `now` is given)."""
    if clock is None:
        clock = (lambda: now) if now is not None else timezone.now
    config = config or settings.LINDOS
    report = ExpansionReport()
    while report.claimed < limit and (max_mails is None or len(report.mail_ids) < max_mails):
        batch = claim_due(min(CLAIM_BATCH, limit - report.claimed), clock(), ids)
        if not batch:
            break
        report.claimed += len(batch)
        for index, notification in enumerate(batch):
            at = clock()
            # No check before expanding: the transaction that marks the
            # notification expanded checks the claim (and rolls back if it
            # was lost), and dedupe keys make a repeated expansion harmless.
            renew_claims(PendingNotification, batch[index:], PendingNotification.EXPANDING, at)
            try:
                written = expand_one(notification, config, at)
            except LostClaim:
                report.lost += 1
                continue
            if written is None:
                report.failed += 1
            else:
                report.expanded += 1
                report.mail_ids += written
    if announce and report.mail_ids:
        written_ids = list(report.mail_ids)
        transaction.on_commit(lambda: outbox.announce(written_ids))
    return report
