"""Mail pipeline speed: the cost of recording a notification for 1 and for
500 recipients (the request only writes outbox rows), and how many mails
per second the worker delivers to a local SMTP server (aiosmtpd, in its own
process) over one reused connection per batch.

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

    overrides = {"smtp_server": "127.0.0.1", "smtp_port": str(port),
                 "app_email_from": "Lindos <lindos@example.com>",
                 "canonical_url": "http://lindos.example.com"}
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


def timed_notify(event, runs=7) -> float:
    """Median milliseconds for notify(event) in its own transaction."""
    from django.db import transaction

    from lindos.notifications import notify
    from lindos.notifications.models import OutboxMail

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with transaction.atomic():
            notify(event)
        times.append((time.perf_counter() - start) * 1000)
        OutboxMail.objects.all().delete()
    return statistics.median(times)


def bench_enqueue():
    from lindos.accounts.models import User
    from lindos.notifications import events as ev

    newbie = User.objects.create_user("newbie", "newbie@example.com", "pw")
    User.objects.create_user("admin0", "admin0@example.com", "pw", is_superuser=True)
    one = timed_notify(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    User.objects.bulk_create([User(username=f"admin{n}", email=f"admin{n}@example.com",
                                   is_superuser=True) for n in range(1, 500)])
    five_hundred = timed_notify(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    return one, five_hundred


def bench_delivery(mails: int, batch: int, sink):
    from django.db import transaction

    from lindos.notifications import events as ev
    from lindos.notifications import notify
    from lindos.notifications.delivery import deliver_due

    with transaction.atomic():
        for n in range(mails):
            notify(ev.TestMailRequested(actor_id=None, address=f"user{n}@example.com"))
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
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        setup(args, port)
        one, many = bench_enqueue()
        print(f"notify(), 1 recipient:    {one:8.1f} ms (median of 7; render once + 1 row)")
        print(f"notify(), 500 recipients: {many:8.1f} ms (median of 7; render once + 500 rows)")
        sent, batches, connects, elapsed = bench_delivery(args.mails, args.batch, sink)
        sink.stdin.write("stop\n")
        sink.stdin.flush()
        received = int(sink.stdout.readline())
        print(f"delivery: {sent} mails in {elapsed:.2f} s = {sent / elapsed:,.0f} mails/s "
              f"({batches} batches of <= {args.batch}, {connects} SMTP connections; "
              f"server received {received})")
    finally:
        if sink.poll() is None:
            sink.kill()


if __name__ == "__main__":
    main()
