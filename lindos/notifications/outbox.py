"""Writing the outbox: mails become rows in the writer's transaction.

A request only records a ``PendingNotification`` (``pipeline.notify``); the
worker expanding it writes the mails here (``expand``), and so do error
mails and the test mail.  Nothing here talks to SMTP: once the transaction
commits, the callables in ``on_mail_enqueued`` are told the new row ids
(the background worker uses this to wake up, or to queue a Celery task);
``delivery`` does the sending.  An empty list means "new work whose rows
are not written yet" (a notification waiting for expansion): a listener
then delivers whatever is due, which expands it first.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.db import transaction

from lindos.notifications.compose import ComposedMail
from lindos.notifications.models import OutboxMail

log = logging.getLogger(__name__)

# Called with the list of new row ids (or [] for a notification waiting to be
# expanded), after the transaction that wrote them committed.  Exceptions
# are logged and do not disturb the caller.
on_mail_enqueued: list[Callable[[list[int]], None]] = []


def dedupe_key(scope: str | None, mail: ComposedMail) -> str:
    """Rows with the same key are the same mail: recording one event twice
    (a retried task, a double submit) writes it once.  Without a scope (mails
    that may legitimately repeat, like a second password reset) the key is
    unique."""
    basis = f"{scope}\0{mail.envelope_to.lower()}" if scope else uuid.uuid4().hex
    return hashlib.sha256(basis.encode()).hexdigest()


def enqueue_mails(
    mails: Iterable[ComposedMail],
    scope: str | None = None,
    now: datetime | None = None,
    *,
    created_at: datetime | None = None,
    announce_on_commit: bool = True,
) -> list[int]:
    """Write one pending row per mail, due at `now`; return the ids of the
    rows (existing ones included when the same mail was already recorded).
    `created_at` (default `now`) starts the retry period: for an expanded
    notification, when the action happened."""
    now = now or datetime.now(UTC)
    created_at = created_at or now
    rows = [
        OutboxMail(
            mail_type=m.mail_type,
            notification_type=m.notification_type,
            dedupe_key=dedupe_key(scope, m),
            user_id=m.user_id,
            reason=m.reason[:60],
            envelope_from=m.envelope_from,
            envelope_to=m.envelope_to,
            subject=m.subject,
            message=m.message,
            state=OutboxMail.PENDING,
            next_attempt_at=now,
            created_at=created_at,
        )
        for m in mails
    ]
    if not rows:
        return []
    OutboxMail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    keys = [r.dedupe_key for r in rows]
    ids = sorted(OutboxMail.objects.filter(dedupe_key__in=keys).values_list("pk", flat=True))
    if announce_on_commit:
        transaction.on_commit(lambda: announce(ids))
    return ids


def announce(ids: list[int]) -> None:
    for listener in list(on_mail_enqueued):
        try:
            listener(ids)
        except Exception:
            log.exception("outbox listener %r failed; the mails stay queued", listener)
