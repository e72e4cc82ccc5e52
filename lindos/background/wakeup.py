"""What happens in this process when outbox rows were committed.

The outbox fires ``lindos.notifications.outbox.on_mail_enqueued`` after the
transaction that wrote mail commits.  Embedded mode wakes the delivery
thread of this process; Celery mode publishes one ``lindos.deliver_mail``
task naming the rows.  Publishing is best effort: if the broker is down the
rows stay pending in the database and the workers' periodic sweep delivers
them, so a web request never fails because of the broker.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("lindos.background")

_lock = threading.Lock()
_connected = False
_embedded_waker = None  # set by embedded.start_embedded_worker
_embedded_webhook_waker = None


def set_embedded_waker(callback) -> None:
    global _embedded_waker
    _embedded_waker = callback


def set_embedded_webhook_waker(callback) -> None:
    global _embedded_webhook_waker
    _embedded_webhook_waker = callback


def webhooks_enqueued() -> None:
    """Webhook deliveries were committed (``lindos.webhooks.enqueue``): wake
    this process's webhook thread, or publish a Celery task.  Best effort,
    like mail: the poll and the sweep find rows whose wake-up was lost."""
    from django.conf import settings

    if settings.LINDOS.use_celery:
        try:
            from lindos.celery_app import deliver_webhooks_task

            deliver_webhooks_task.apply_async(
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
            )
        except Exception as exc:  # the broker's many exception types; the sweep covers us
            log.warning(
                "could not publish webhook delivery to the broker (%s); the sweep will deliver it",
                " ".join(str(exc).split()),
            )
    elif _embedded_webhook_waker is not None:
        _embedded_webhook_waker()


def mail_enqueued(ids: list[int]) -> None:
    """The outbox listener (``outbox.on_mail_enqueued``): called with the
    ids of the rows just committed ([] for a notification waiting to be
    expanded)."""
    from django.conf import settings

    if settings.LINDOS.use_celery:
        publish_delivery(list(ids))
    elif _embedded_waker is not None:
        _embedded_waker()


def publish_delivery(ids: list[int]) -> bool:
    """Ask a Celery worker to deliver `ids`; False (and a log line) if the
    broker could not take the message."""
    try:
        from lindos.celery_app import deliver_mail_task

        deliver_mail_task.apply_async(
            args=[ids],
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
        )
        return True
    except Exception as exc:  # the broker's many exception types; the sweep covers us
        log.warning(
            "could not publish delivery of %d mail(s) to the broker (%s); the outbox sweep will deliver them",
            len(ids),
            " ".join(str(exc).split()),
        )
        return False


def connect() -> None:
    """Subscribe ``mail_enqueued`` to the outbox once per process."""
    global _connected
    from lindos.notifications import outbox

    with _lock:
        if not _connected:
            outbox.on_mail_enqueued.append(mail_enqueued)
            _connected = True
