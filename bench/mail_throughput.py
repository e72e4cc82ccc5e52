"""Mail pipeline speed: the cost of recording a notification for 1 and for
500 recipients (the request only writes one PendingNotification row), the
worker's cost of expanding it into outbox rows, and how many mails per
second the worker expands and delivers to a local SMTP server (aiosmtpd, in
its own process) over one reused connection per batch: once for
single-recipient notifications, once for notifications to 500 people each.

    python bench/mail_throughput.py [--mails 3000] [--batch 500]

Uses a fresh SQLite database in a temporary folder (``--db-url`` for
another one, e.g. postgresql://...).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SINK = r"""
import asyncio, signal, sys
from aiosmtpd.controller import Controller
count = 0
class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += len(envelope.rcpt_tos)
        return "250 OK"
c = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.readline()
c.stop()
print(count, flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(args, port):
    home = tempfile.mkdtemp(prefix="lindos-bench-mail-")
    from lindos.cli.config_create import render_config

    overrides = {
        "smtp_server": "127.0.0.1",
        "smtp_port": str(port),
        "app_email_from": "Lindos <lindos@example.com>",
        "canonical_url": "http://lindos.example.com",
    }
    if args.db_url:
        overrides["sqlalchemy.url"] = args.db_url
    ini = os.path.join(home, "lindos.ini")
    with open(ini, "w") as fh:
        fh.write(render_config(overrides).replace("level = INFO", "level = WARNING"))
    os.environ["LINDOS_CONFIG"] = ini
    os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.settings"
    os.environ["LINDOS_TEST_FAST_PASSWORDS"] = "1"
    import django

    django.setup()
    import logging

    logging.getLogger().setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return home


def timed_notify(event, runs=7) -> tuple[float, float]:
    """Median milliseconds for notify(event) in its own transaction (the
    request's cost), and for expanding it into outbox rows (the worker's)."""
    from django.db import transaction

    from lindos.notifications import notify
    from lindos.notifications.expand import expand_pending
    from lindos.notifications.models import OutboxMail, PendingNotification

    request, worker = [], []
    for _ in range(runs):
        start = time.perf_counter()
        with transaction.atomic():
            notify(event)
        request.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        expand_pending()
        worker.append((time.perf_counter() - start) * 1000)
        OutboxMail.objects.all().delete()
        PendingNotification.objects.all().delete()
    return statistics.median(request), statistics.median(worker)


def bench_enqueue():
    from lindos.accounts.models import User
    from lindos.notifications import events as ev

    newbie = User.objects.create_user("newbie", "newbie@example.com", "pw")
    User.objects.create_user("admin0", "admin0@example.com", "pw", is_superuser=True)
    one = timed_notify(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    User.objects.bulk_create(
        [User(username=f"admin{n}", email=f"admin{n}@example.com", is_superuser=True) for n in range(1, 500)]
    )
    five_hundred = timed_notify(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    return one, five_hundred


def single_recipient_events(mails: int):
    from lindos.notifications import events as ev

    return [ev.TestMailRequested(actor_id=None, address=f"user{n}@example.com") for n in range(mails)]


def fan_out_events(mails: int):
    """Registrations, each mailed to the 500 administrators bench_enqueue made."""
    from lindos.accounts.models import User
    from lindos.notifications import events as ev

    users = User.objects.bulk_create(
        [User(username=f"new{n}", email=f"new{n}@example.com") for n in range(max(mails // 500, 1))]
    )
    return [ev.UserRegistered(actor_id=u.pk, user_id=u.pk) for u in users]


def bench_delivery(events, batch: int, expand_first: bool = False):
    """Record `events` (one transaction), then time the worker's rounds
    (expansion and delivery) until nothing is left.  `expand_first`: expand
    them all before the clock starts (delivery alone)."""
    from django.db import transaction

    from lindos.notifications import notify
    from lindos.notifications.delivery import deliver_due
    from lindos.notifications.expand import expand_pending

    with transaction.atomic():
        for event in events:
            notify(event)
    if expand_first:
        expand_pending(limit=len(events))
    connects = []
    original = smtplib.SMTP.connect

    def counting(self, *a, **kw):
        connects.append(1)
        return original(self, *a, **kw)

    smtplib.SMTP.connect = counting
    sent, batches = 0, 0
    start = time.perf_counter()
    while True:
        report = deliver_due(limit=batch)
        if not report.claimed:
            break
        sent += report.sent
        batches += 1
    elapsed = time.perf_counter() - start
    smtplib.SMTP.connect = original
    return sent, batches, len(connects), elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--db-url", default="")
    args = parser.parse_args()
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert sink.stdout.readline().strip() == "ready"
        setup(args, port)
        (one, one_x), (many, many_x) = bench_enqueue()
        print(f"request, notify(), 1 recipient:    {one:8.1f} ms (median of 7; one row)")
        print(f"request, notify(), 500 recipients: {many:8.1f} ms (median of 7; one row)")
        print(f"worker, expansion, 1 recipient:    {one_x:8.1f} ms (median of 7; render once + 1 row)")
        print(f"worker, expansion, 500 recipients: {many_x:8.1f} ms (median of 7; render once + 500 rows)")
        for label, events, expand_first in (
            ("delivery only (expanded beforehand)", single_recipient_events(args.mails), True),
            ("expansion + delivery, 1 recipient each", single_recipient_events(args.mails), False),
            ("expansion + delivery, 500 recipients each", fan_out_events(args.mails), False),
        ):
            sent, batches, connects, elapsed = bench_delivery(events, args.batch, expand_first)
            print(
                f"{label}: {len(events)} notifications, {sent} mails in {elapsed:.2f} s = "
                f"{sent / elapsed:,.0f} mails/s ({batches} rounds of <= {args.batch}, "
                f"{connects} SMTP connections)"
            )
        sink.stdin.write("stop\n")
        sink.stdin.flush()
        received = int(sink.stdout.readline())
        print(f"the SMTP server received {received} mails")
    finally:
        if sink.poll() is None:
            sink.kill()


if __name__ == "__main__":
    main()
