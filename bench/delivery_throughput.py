"""Mail delivery speed, against private PostgreSQL and Redis servers and a
local aiosmtpd server (the same ones the tests use).

1. Outbox throughput with 1, 2 and 4 ``lindos worker`` processes
   (``--concurrency 1`` each): N mails are written in transactions of 50
   and announced to the broker, as web processes do; the rate is counted
   from the first mail received to the last.  The embedded worker of one
   ``lindos serve`` is measured the same way.
2. Latency from a password-reset POST to the mail arriving at the SMTP
   server (median and 99th percentile), embedded and with Celery.

Usage: python bench/delivery_throughput.py [--mails 1000] [--posts 60]

Figures are in bench/README.md ("Background delivery").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.background.harness import Browser, LindosHome, SmtpSink, enqueue  # noqa: E402
from tests.services import PostgresServer, RedisServer  # noqa: E402


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def rate(sink: SmtpSink, count: int, timeout: float = 600) -> float:
    sink.wait_for(count, timeout=timeout)
    arrivals = sorted(sink.arrivals)
    return (count - 1) / max(arrivals[count - 1] - arrivals[0], 1e-9)


def throughput_celery(workdir, pg, redis, workers: int, mails: int) -> float:
    redis.flush()
    sink = SmtpSink().start()
    home = LindosHome(
        os.path.join(workdir, f"celery-{workers}"),
        pg.create_database(),
        smtp_port=sink.port,
        broker_url=redis.url,
        sweep_seconds=300,
    )
    try:
        home.run("db-upgrade")
        for n in range(workers):
            home.worker(f"worker{n}", 1)
        enqueue(home, mails, tag="tp", per_transaction=50, publish=True)
        return rate(sink, mails)
    finally:
        home.stop_all()
        sink.stop()


def throughput_embedded(workdir, pg, mails: int) -> float:
    sink = SmtpSink().start()
    home = LindosHome(os.path.join(workdir, "embedded"), pg.create_database(), smtp_port=sink.port)
    try:
        home.run("db-upgrade")
        enqueue(home, mails, tag="tp")
        home.serve()  # finds the pending rows at start
        return rate(sink, mails)
    finally:
        home.stop_all()
        sink.stop()


def latency(workdir, database_url: str, posts: int, redis=None) -> list[float]:
    sink = SmtpSink().start()
    name = "latency-celery" if redis else "latency-embedded"
    extra = {"broker_url": redis.url, "sweep_seconds": 300} if redis else {}
    home = LindosHome(os.path.join(workdir, name), database_url, smtp_port=sink.port, **extra)
    try:
        home.run("db-upgrade")
        home.run(
            "create-user",
            "--username",
            "alice",
            "--email",
            "alice@example.com",
            "--password",
            "bench-password-1",
        )
        if redis:
            redis.flush()
            home.worker("worker", 2)
        home.serve()
        browser = Browser(home.base_url)
        browser.get("/_admin/password_reset")
        token = next(c.value for c in browser.jar if c.name == "csrftoken")
        import urllib.parse
        import urllib.request

        body = urllib.parse.urlencode({"email": "alice@example.com", "csrfmiddlewaretoken": token}).encode()
        samples = []
        for i in range(posts + 3):
            request = urllib.request.Request(
                home.base_url + "/_admin/password_reset", data=body, headers={"Referer": home.base_url}
            )
            started = time.monotonic()
            with browser.opener.open(request, timeout=30) as response:
                response.read()
            sink.wait_for(i + 1, timeout=30)
            if i >= 3:  # the first requests warm up imports and connections
                samples.append(sink.arrivals[i] - started)
        return samples
    finally:
        home.stop_all()
        sink.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=60)
    args = parser.parse_args()
    pg, redis = PostgresServer(), RedisServer()
    pg.start()
    redis.start()
    workdir = tempfile.mkdtemp(prefix="lindos-bench-")
    try:
        print(
            f"Outbox throughput, {args.mails} mails, PostgreSQL, aiosmtpd on loopback "
            f"({os.cpu_count()} CPUs):"
        )
        print(
            f"  embedded (1 lindos serve): {throughput_embedded(workdir, pg, args.mails):7.0f} mails/s",
            flush=True,
        )
        for workers in (1, 2, 4):
            value = throughput_celery(workdir, pg, redis, workers, args.mails)
            print(f"  celery, {workers} worker(s):       {value:7.0f} mails/s", flush=True)
        print(f"POST (password reset) to mail received, {args.posts} requests:")
        runs = [
            ("embedded, SQLite", f"sqlite:///{workdir}/lat.db?timeout=60", None),
            ("embedded, PostgreSQL", pg.create_database(), None),
            ("celery+Redis, PostgreSQL", pg.create_database(), redis),
        ]
        for label, url, broker in runs:
            samples = latency(workdir, url, args.posts, broker)
            print(
                f"  {label:26s} median {statistics.median(samples) * 1000:6.1f} ms, "
                f"p99 {percentile(samples, 99) * 1000:6.1f} ms",
                flush=True,
            )
    finally:
        pg.cleanup()
        redis.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
