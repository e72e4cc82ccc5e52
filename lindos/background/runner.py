"""Starting background work inside ``lindos serve``."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

#: The roles a server process plays (see ``start_background_work``).
ALL, WORKER, WEB = "all", "worker", "web"


def start_background_work(config, role: str = ALL, pipe=None) -> None:
    """Embedded mode runs the background loops (outbox delivery, page
    preparation and search indexing after pushes) in one process: ``ALL`` for a single
    ``lindos serve`` process, ``WORKER`` for the one of several that runs
    them; ``WEB`` processes forward their wake-ups to it through ``pipe``
    (a ``crossprocess.WakePipe``).  With Celery, ``lindos worker`` processes
    do the work and every server process only publishes tasks."""
    from lindos.background import prepare_queue, wakeup

    if config.use_celery:
        log.info("use_celery = true: background work runs in 'lindos worker' processes")
        import lindos.celery_app  # noqa: F401  (built now, not on the first request)

        wakeup.connect()
        return
    if role == WEB:
        from lindos.background.crossprocess import MAIL, PREPARE, SEARCH, WEBHOOKS
        from lindos.search import queue as search_queue

        wakeup.set_embedded_waker(pipe.sender(MAIL))
        wakeup.set_embedded_webhook_waker(pipe.sender(WEBHOOKS))
        prepare_queue.set_waker(pipe.sender(PREPARE))
        search_queue.set_waker(pipe.sender(SEARCH))
        wakeup.connect()
        return
    from lindos.background.embedded import (
        start_embedded_webhook_worker,
        start_embedded_worker,
        start_prepare_worker,
        start_search_worker,
    )

    mail = start_embedded_worker()
    webhooks = start_embedded_webhook_worker()
    prepare = start_prepare_worker()
    search = start_search_worker()
    if role == WORKER and pipe is not None:
        from lindos.background.crossprocess import MAIL, PREPARE, SEARCH, WEBHOOKS

        pipe.listen({MAIL: mail.wake, PREPARE: prepare.wake, WEBHOOKS: webhooks.wake, SEARCH: search.wake})
