"""Waking the background worker from another server process.

With several ``lindos serve`` processes (``workers``), the embedded worker
runs in one of them, but mail is committed and pushes arrive in any.  The
parent creates one pipe before forking; every process inherits it.  A
process that wants the worker to look now writes one byte naming the
queue (``MAIL``, ``WEBHOOKS``, ``PREPARE`` or ``SEARCH``); the worker's process reads the pipe in a
thread and wakes the matching loop.  The byte carries no data: the outbox
table and the prepare spool are the queues, so a byte lost to a full pipe
costs only the poll interval.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger("lindos.background")

MAIL = b"m"
PREPARE = b"p"
WEBHOOKS = b"w"
SEARCH = b"s"


class WakePipe:
    def __init__(self):
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.write_fd, False)

    def sender(self, kind: bytes) -> Callable[[], None]:
        """A callable that asks the worker's process to wake loop ``kind``."""

        def send() -> None:
            try:
                os.write(self.write_fd, kind)
            except (BlockingIOError, BrokenPipeError):
                pass  # plenty of wake-ups are pending already, or no reader

        return send

    def listen(self, wakers: dict[bytes, Callable[[], None]]) -> threading.Thread:
        """In the worker's process: call ``wakers[byte]`` for each byte read."""

        def run() -> None:
            while True:
                try:
                    data = os.read(self.read_fd, 512)
                except InterruptedError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                for kind in set(data[i : i + 1] for i in range(len(data))):
                    waker = wakers.get(kind)
                    if waker is not None:
                        waker()

        thread = threading.Thread(target=run, name="lindos-wake-pipe", daemon=True)
        thread.start()
        return thread
