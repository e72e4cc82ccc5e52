"""Delivering webhooks: the worker side.

Policy:
- rows are claimed as mail is (``lindos.notifications.claims``): several
  workers never send one row at once, and a row claimed by a worker that
  died is claimable again when the lease ends;
- a 2xx answer delivers the row; anything else (another status, a refused
  connection, a timeout, an address the policy refuses) is recorded as an
  attempt and retried with exponential backoff (10 s doubling, at most
  1 h) until ``MAX_ATTEMPTS`` tries were made; then the row is failed and
  stays on the settings page with every attempt, for a redelivery;
- every request carries the event (``X-Lindos-Event``), the delivery's id
  (``X-Lindos-Delivery``) and, when the webhook has a secret, the body's
  HMAC-SHA256 as ``X-Lindos-Signature-256: sha256=HEX`` (also sent as
  ``X-Hub-Signature-256``, the name most CI receivers check).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lindos.notifications.claims import LEASE, claim, renew_claims, still_ours
from lindos.webhooks import send
from lindos.webhooks.models import WebhookAttempt, WebhookDelivery

log = logging.getLogger(__name__)

FIRST_RETRY = 10  # seconds; doubles per attempt
MAX_RETRY_DELAY = 3600
MAX_ATTEMPTS = 8


@dataclass
class WebhookReport:
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self):
        return (
            f"{self.claimed} webhook deliveries claimed, {self.delivered} delivered, "
            f"{self.retrying} to retry, {self.failed} failed"
        )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY))


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def build_headers(row: WebhookDelivery, body: bytes) -> dict:
    headers = {"X-Lindos-Event": row.event, "X-Lindos-Delivery": row.guid}
    if row.webhook.secret:
        signed = signature(row.webhook.secret, body)
        headers["X-Lindos-Signature-256"] = signed
        headers["X-Hub-Signature-256"] = signed
    return headers


def claim_due(limit: int, now: datetime) -> list[WebhookDelivery]:
    due = Q(state=WebhookDelivery.PENDING, next_attempt_at__lte=now) | Q(
        state=WebhookDelivery.SENDING, claimed_at__lt=now - LEASE
    )
    return claim(WebhookDelivery.objects.filter(due), limit, now, WebhookDelivery.SENDING)


def deliver_due(limit: int = 50, *, now: datetime | None = None, config=None) -> WebhookReport:
    """Claim up to `limit` due deliveries and send them, one by one."""
    config = config or settings.LINDOS
    now = now or timezone.now()
    rows = claim_due(limit, now)
    report = WebhookReport(claimed=len(rows))
    for index, row in enumerate(rows):
        renew_claims(WebhookDelivery, rows[index:], WebhookDelivery.SENDING, now)
        if not still_ours(WebhookDelivery, row, WebhookDelivery.SENDING, now):
            continue
        field = {
            WebhookDelivery.DELIVERED: "delivered",
            WebhookDelivery.PENDING: "retrying",
            WebhookDelivery.FAILED: "failed",
        }[deliver_one(row, config=config, now=now)]
        setattr(report, field, getattr(report, field) + 1)
    return report


def deliver_one(row: WebhookDelivery, *, config, now: datetime) -> str:
    """Send one claimed row and record the outcome; returns its new state."""
    body = row.payload.encode("utf-8")
    outcome = send.post(
        row.webhook.url,
        body,
        build_headers(row, body),
        timeout=config.webhook_timeout,
        allow_private=config.webhook_allow_private_addresses,
    )
    attempts = row.attempts + 1
    if outcome.ok:
        state, error = WebhookDelivery.DELIVERED, ""
    else:
        error = outcome.error or f"HTTP {outcome.status}"
        state = WebhookDelivery.FAILED if attempts >= MAX_ATTEMPTS else WebhookDelivery.PENDING
    finished = now
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=row,
            at=finished,
            status_code=outcome.status,
            duration_ms=outcome.duration_ms,
            error=error,
        )
        WebhookDelivery.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
            state=state,
            attempts=attempts,
            status_code=outcome.status,
            duration_ms=outcome.duration_ms,
            last_error=error,
            claim_token="",
            claimed_at=None,
            next_attempt_at=now + backoff(attempts),
            delivered_at=finished if state == WebhookDelivery.DELIVERED else None,
        )
    if state != WebhookDelivery.DELIVERED:
        log.warning(
            "webhook delivery #%s (%s to %s) try %d: %s%s",
            row.pk,
            row.event,
            row.webhook.url,
            attempts,
            error,
            "; giving up" if state == WebhookDelivery.FAILED else "; will retry",
        )
    return state
