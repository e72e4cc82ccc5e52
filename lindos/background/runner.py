"""Starting background work inside ``lindos serve``."""

import logging

log = logging.getLogger(__name__)


def start_background_work(config) -> None:
    """Embedded mode runs a delivery thread in this process; with Celery,
    ``lindos worker`` processes do the work and this process only enqueues
    (one task per committed batch of outbox rows)."""
    from lindos.background import wakeup

    if config.use_celery:
        log.info("use_celery = true: background work runs in 'lindos worker' processes")
        import lindos.celery_app  # noqa: F401  (built now, not on the first request)

        wakeup.connect()
        return
    from lindos.background.embedded import start_embedded_webhook_worker, start_embedded_worker

    start_embedded_worker()
    start_embedded_webhook_worker()
