"""Composing cost alone (no database, no SMTP): ``compose_mails`` for a
changeset comment to 1 recipient and to 500 recipients, every notification
with its own comment text and subject (so the Markdown and header caches
only help where they help in production: the sender and repeated names),
and recipients' names a mix of plain, quoted and non-ASCII ones.

    python bench/mail_compose.py [--rounds 7] [--notifications 300]

Prints the median over rounds of the time per notification.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

NAMES = [
    "Alice Liddell",
    "bob",
    "O'Brien, Pat",
    "Jürgen Müller",
    "田中 太郎",
    "Dr. Who (TARDIS)",
    'Quote "me"',
    "Ann-Marie",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--notifications", type=int, default=300)
    args = parser.parse_args()
    from lindos.cli.config_create import render_config

    home = tempfile.mkdtemp(prefix="lindos-bench-compose-")
    ini = os.path.join(home, "lindos.ini")
    with open(ini, "w") as fh:
        fh.write(render_config({}).replace("level = INFO", "level = WARNING"))
    os.environ["LINDOS_CONFIG"] = ini
    os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.settings"
    import django

    django.setup()
    from django.conf import settings

    from lindos.notifications.compose import compose_mails
    from lindos.notifications.recipients import Recipient
    from lindos.notifications.samples import samples

    config = dataclasses.replace(
        settings.LINDOS,
        canonical_url="https://code.example.org",
        app_email_from="Lindos <lindos@example.org>",
    )
    facts, one = samples()["cs_comment"]
    many = [
        Recipient(i, f"user{i}@example.com", "reviewer", f"{NAMES[i % len(NAMES)]} {i}") for i in range(500)
    ]

    def per_notification(recipients, n):
        started = time.perf_counter()
        for i in range(n):
            text = f"{facts.text}\n\nRound {i}: see @carol and **this** `code`."
            cs = dataclasses.replace(facts.changeset, message=f"Fix {i}: {facts.changeset.message}")
            compose_mails(dataclasses.replace(facts, text=text, changeset=cs), recipients, config)
        return (time.perf_counter() - started) / n * 1000

    for label, recipients, n in [
        ("1 recipient", [one], args.notifications),
        ("500 recipients", many, max(args.notifications // 50, 3)),
    ]:
        times = [per_notification(recipients, n) for _ in range(args.rounds)]
        print(
            f"compose_mails, {label}: {statistics.median(times):.3f} ms per notification "
            f"(median of {args.rounds}, min {min(times):.3f})"
        )


if __name__ == "__main__":
    main()
