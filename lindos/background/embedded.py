"""The embedded worker: a daemon thread inside ``lindos serve`` delivering
the outbox, for installations without a broker (the default).

It wakes when a transaction that wrote mail commits (the outbox hook), and
also every ``POLL_SECONDS`` so rows left pending by a restart, by another
process or by a retry backoff are picked up.  The outbox is the durable
queue: stopping the process loses nothing.  Several ``lindos serve``
processes may each run one; the claim in ``delivery`` keeps them from
sending a row twice.
"""

from __future__ import annotations

import logging
import threading

from lindos.background import tasks, wakeup

log = logging.getLogger("lindos.background")

POLL_SECONDS = 5.0
# After an unexpected error (database down, ...) wait this long before retrying.
ERROR_PAUSE_SECONDS = 5.0


class EmbeddedWorker:
    def __init__(self, poll_seconds: float = POLL_SECONDS, work=None, name: str = "lindos-outbox"):
        self.poll_seconds = poll_seconds
        # Each pass opens its own connection and closes it before sleeping:
        # nothing is held while idle.
        self.work = work or (lambda: tasks.deliver_all_due(close_at_end=True))
        self.name = name
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> EmbeddedWorker:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        log.info("%s: started, polling every %gs", self.name, self.poll_seconds)
        while not self._stop.is_set():
            self._wake.clear()
            pause = self.poll_seconds
            try:
                self.work()
            except Exception:
                log.exception("%s: delivery pass failed; retrying in %gs", self.name, ERROR_PAUSE_SECONDS)
                pause = ERROR_PAUSE_SECONDS
            self._wake.wait(pause)


_worker: EmbeddedWorker | None = None
_webhook_worker: EmbeddedWorker | None = None


def start_embedded_worker(poll_seconds: float = POLL_SECONDS) -> EmbeddedWorker:
    """Start this process's delivery thread (once) and connect it to the
    outbox hook."""
    global _worker
    if _worker is None:
        _worker = EmbeddedWorker(poll_seconds).start()
        wakeup.set_embedded_waker(_worker.wake)
        wakeup.connect()
    return _worker


def start_embedded_webhook_worker(poll_seconds: float = POLL_SECONDS) -> EmbeddedWorker:
    """Start this process's webhook thread (once): a thread of its own, so a
    slow receiver (up to ``webhook_timeout`` per try) never delays mail."""
    global _webhook_worker
    if _webhook_worker is None:
        _webhook_worker = EmbeddedWorker(
            poll_seconds, work=lambda: tasks.deliver_webhooks(close_at_end=True), name="lindos-webhooks"
        ).start()
        wakeup.set_embedded_webhook_waker(_webhook_worker.wake)
    return _webhook_worker


#: Seconds between looks at the prepare spool when nobody wakes the loop.
PREPARE_POLL_SECONDS = 30.0

_prepare_worker: EmbeddedWorker | None = None


def start_prepare_worker(poll_seconds: float = PREPARE_POLL_SECONDS) -> EmbeddedWorker:
    """Start this process's page-preparation thread (once): it renders, after
    each push, what the first visitors will ask for (see ``prepare_queue``).
    A thread of its own, so a long preparation never delays mail."""
    global _prepare_worker
    from lindos.background import prepare_queue

    if _prepare_worker is None:
        _prepare_worker = EmbeddedWorker(
            poll_seconds, work=lambda: prepare_queue.prepare_spooled(close_at_end=True), name="lindos-prepare"
        ).start()
        prepare_queue.set_waker(_prepare_worker.wake)
    return _prepare_worker


#: Seconds between looks at the search spool when nobody wakes the loop.
SEARCH_POLL_SECONDS = 30.0

_search_worker: EmbeddedWorker | None = None


def start_search_worker(poll_seconds: float = SEARCH_POLL_SECONDS) -> EmbeddedWorker:
    """Start this process's search-indexing thread (once): after each push
    it brings the repository's search index up to date (see
    ``lindos.search.queue``).  A thread of its own: indexing a big
    repository for the first time never delays mail or page preparation."""
    global _search_worker
    from lindos.search import queue

    if _search_worker is None:
        _search_worker = EmbeddedWorker(
            poll_seconds, work=lambda: queue.index_spooled(close_at_end=True), name="lindos-search"
        ).start()
        queue.set_waker(_search_worker.wake)
    return _search_worker
