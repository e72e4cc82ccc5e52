"""The test email, sent through the real queue and reported with the SMTP
server's answer (the admin page and ``lindos send-test-email``).

Its sender waits for that answer, so it skips the notification stage: the
outbox row is written at once (``pipeline.notify_now``) and delivered at
once, by the same code as every other row."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction

from lindos.config import is_valid_address
from lindos.notifications import events
from lindos.notifications.delivery import deliver_rows
from lindos.notifications.models import OutboxMail
from lindos.notifications.pipeline import notify_now


@dataclass(frozen=True)
class TestMailResult:
    __test__ = False  # not a pytest test class
    address: str
    row_id: int | None
    state: str
    reply: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.state == OutboxMail.SENT


def send_test_mail(
    address: str, actor_id: int | None = None, config=None, wait_seconds: float = 60
) -> TestMailResult:
    """Queue a test mail to `address` and deliver it at once.  If a worker
    grabbed the row first, wait for its outcome (up to `wait_seconds`)."""
    address = address.strip()
    if not is_valid_address(address):
        raise ValueError(f"not a valid email address: {address!r}")
    with transaction.atomic():
        [row_id] = notify_now(events.TestMailRequested(actor_id=actor_id, address=address), config=config)
    report = deliver_rows([row_id], config=config)
    deadline = time.monotonic() + wait_seconds
    while not report.results and time.monotonic() < deadline:
        row = OutboxMail.objects.get(pk=row_id)
        if row.state != OutboxMail.SENDING and (row.attempts or row.state != OutboxMail.PENDING):
            break
        time.sleep(0.2)
    row = OutboxMail.objects.get(pk=row_id)
    return TestMailResult(
        address=address, row_id=row_id, state=row.state, reply=row.last_reply, error=row.last_error
    )
