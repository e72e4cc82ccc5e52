"""Starting background work inside ``lindos serve``."""

import logging

log = logging.getLogger(__name__)


def start_background_work(config) -> None:
    """Embedded mode runs a delivery thread in this process; with Celery,
    ``lindos worker`` processes do the work and this process only enqueues."""
    if config.use_celery:
        log.info("use_celery = true: background work runs in 'lindos worker' processes")
        return
    from lindos.background.embedded import start_embedded_worker

    start_embedded_worker()
