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

            deliver_webhooks_task.apply_async(retry=True, retry_policy={
                "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1})
        except Exception as exc:  # the broker's many exception types; the sweep covers us
            log.warning("could not publish webhook delivery to the broker (%s); "
                        "the sweep will deliver it", " ".join(str(exc).split()))
    elif _embedded_webhook_waker is not None:
        _embedded_webhook_waker()


def _ids_from(args, kwargs) -> list[int]:
    for key in ("ids", "mail_ids", "outbox_ids", "row_ids"):
        if key in kwargs and kwargs[key] is not None:
            return [int(i) for i in kwargs[key]]
    for value in args:
        if isinstance(value, (list, tuple, set, frozenset)):
            return [int(i) for i in value]
    return []


def mail_enqueued(*args, **kwargs) -> None:
    """The receiver: accepts the hook's call as a plain callable
    (``callback(ids)``) or as a Django signal (``sender, ids=...``)."""
    from django.conf import settings

    ids = _ids_from(args, kwargs)
    if settings.LINDOS.use_celery:
        publish_delivery(ids)
    elif _embedded_waker is not None:
        _embedded_waker()


def publish_delivery(ids: list[int]) -> bool:
    """Ask a Celery worker to deliver `ids`; False (and a log line) if the
    broker could not take the message."""
    try:
        from lindos.celery_app import deliver_mail_task

        deliver_mail_task.apply_async(args=[ids], retry=True, retry_policy={
            "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1})
        return True
    except Exception as exc:  # the broker's many exception types; the sweep covers us
        log.warning("could not publish delivery of %d mail(s) to the broker (%s); "
                    "the outbox sweep will deliver them", len(ids), " ".join(str(exc).split()))
        return False


def connect() -> bool:
    """Subscribe ``mail_enqueued`` to the outbox hook once per process.

    Returns False when the notification pipeline has no hook (then only
    polling and the sweep deliver mail)."""
    global _connected
    with _lock:
        if _connected:
            return True
        try:
            from lindos.notifications import outbox
        except ImportError:
            log.warning("no lindos.notifications.outbox; mail is delivered by polling only")
            return False
        hook = getattr(outbox, "on_mail_enqueued", None)
        if hook is None:
            log.warning("lindos.notifications.outbox has no on_mail_enqueued hook; "
                        "mail is delivered by polling only")
            return False
        if hasattr(hook, "connect"):  # a Django signal
            hook.connect(mail_enqueued, weak=False, dispatch_uid="lindos.background.wakeup")
        elif isinstance(hook, list):
            hook.append(mail_enqueued)
        elif callable(hook):  # a registration function
            hook(mail_enqueued)
        _connected = True
        return True
