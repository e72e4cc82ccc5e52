"""Recording webhook deliveries, in the caller's transaction.

``enqueue`` is what the actions call (a push, a pull request opened,
updated or closed, a comment, a status): one ``WebhookDelivery`` row per
active webhook of the repository that wants the event.  The body is built
only when some webhook wants it.  After the transaction commits the
background worker is woken (``lindos.background.wakeup``); if that is
lost, its poll or sweep finds the rows.  Nothing is sent here: a push or a
request never waits for a receiver.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from lindos.webhooks.models import Webhook, WebhookDelivery


def enqueue(repository_id: int, event: str, build: Callable[[], str]) -> list[int]:
    """One delivery per webhook of the repository that wants `event`; returns their ids."""
    hooks = [h for h in Webhook.objects.filter(repository_id=repository_id, active=True) if h.wants(event)]
    if not hooks:
        return []
    payload = build()
    now = timezone.now()
    rows = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                webhook=h,
                guid=str(uuid.uuid4()),
                event=event,
                payload=payload,
                next_attempt_at=now,
                created_at=now,
            )
            for h in hooks
        ]
    )
    transaction.on_commit(_wake)
    return [r.pk for r in rows if r.pk is not None]


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """A new delivery of the same body (the settings page's button)."""
    now = timezone.now()
    row = WebhookDelivery.objects.create(
        webhook=delivery.webhook,
        guid=str(uuid.uuid4()),
        event=delivery.event,
        payload=delivery.payload,
        next_attempt_at=now,
        created_at=now,
        redelivery_of=delivery,
    )
    transaction.on_commit(_wake)
    return row


def _wake() -> None:
    from lindos.background.wakeup import webhooks_enqueued

    webhooks_enqueued()
