"""Claims: how several workers share the two queues (notifications to
expand, mails to send) without doing one item twice.

- A worker claims a batch atomically: ``SELECT ... FOR UPDATE SKIP LOCKED``
  where the database has it (PostgreSQL, MariaDB); elsewhere the
  ``UPDATE`` that writes the claim repeats the candidate conditions, so only
  one worker can win a row.  The claim is a token and a time.
- A claim is a lease: a row whose claim is older than ``LEASE`` may be
  claimed again (its worker died).  A worker keeps the claims of its batch
  alive (``renew_claims``) and, before a step that must not happen twice,
  checks that the row is still its own (``still_ours``).  Workers' clocks
  must agree to well within the lease.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import connection, transaction

# How long a claim lasts without renewal.  A worker renews its claims
# between two items, so the lease need only outlast one item (a mail's
# delivery stretches it: ``delivery.lease``).
LEASE = timedelta(minutes=5)
# The rest of a claimed batch is renewed when its claim is this old: well
# inside any lease, so a slow batch is never taken over while it is worked on.
RENEW_EVERY = LEASE / 4


def claim(candidates, limit: int, now: datetime, state: str) -> list:
    """Claim up to `limit` of the `candidates` queryset (oldest first) by
    putting them in `state` under a new claim token; return them, claimed."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = candidates.order_by("pk").values_list("pk", flat=True)
        if connection.features.has_select_for_update_skip_locked:
            ids = ids.select_for_update(skip_locked=True)
        ids = list(ids[:limit])
        if not ids:
            return []
        # The candidate conditions are checked again by the UPDATE itself:
        # a row another worker claimed meanwhile no longer matches.
        candidates.filter(pk__in=ids).update(state=state, claim_token=token, claimed_at=now)
    return list(candidates.model.objects.filter(claim_token=token, state=state).order_by("pk"))


def still_ours(model, row, state: str, now: datetime) -> bool:
    """Check that our claim on `row` (in `state`) holds and renew it, in one
    UPDATE on its claim token: what a worker does before it sends a mail,
    so a row another worker took over is never sent."""
    return (
        model.objects.filter(pk=row.pk, claim_token=row.claim_token, state=state).update(claimed_at=now) == 1
    )


def renew_claims(model, rows, state: str, now: datetime) -> None:
    """Renew the claims we still hold on `rows` (claimed together, under one
    claim token, in `state`) once their last renewal is ``RENEW_EVERY`` old:
    well inside the lease, so a slow batch keeps its rows, while a fast one
    does not pay an UPDATE of the whole batch per item (that made a batch
    cost quadratic in its size)."""
    if rows and now - rows[0].claimed_at >= RENEW_EVERY:
        model.objects.filter(
            pk__in=[row.pk for row in rows], claim_token=rows[0].claim_token, state=state
        ).update(claimed_at=now)
        for row in rows:
            row.claimed_at = now


FIRST_RETRY = 30  # seconds; doubles per attempt
MAX_RETRY_DELAY = 3600


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failed try of a row (an outbox mail, a
    notification to expand): 30 s, 1 min, 2 min ... 1 h."""
    return timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY))
