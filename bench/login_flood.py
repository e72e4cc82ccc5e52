"""Do pages stay responsive while someone floods Lindos with wrong passwords?

    python bench/login_flood.py [--attackers 16] [--seconds 10] [--pages 40] [--keep DIR]

Sets up a throw-away Lindos in a temporary folder (``lindos config-create``,
``db-upgrade``, a user ``alice``, a private git repository), serves it with
``lindos serve`` on a free port (its real, deliberately slow password
hasher: Django's PBKDF2), and times the home page (GET /, one keep-alive
connection) three ways:

- idle;
- while ``--attackers`` threads send wrong git Basic auth for ``alice``
  (GET /secret/info/refs) as fast as they can;
- while as many threads post wrong passwords to the web login form (with
  a valid CSRF token) for another account.

It prints, per case, the page's median and p90 latency and what the flood
got (answers by status, attempts per second).  Nothing is left running; the
folder is removed unless ``--keep`` names one.  Run it on an older checkout
(``PYTHONPATH=/path/to/old/checkout``) to compare.
"""

from __future__ import annotations

import argparse
import base64
import collections
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LINDOS_"))}


def lindos(*args: str, config: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "lindos", *args],
        env=dict(ENV, LINDOS_CONFIG=config),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(home: str) -> str:
    config = os.path.join(home, "lindos.ini")
    subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", config],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    lindos("db-upgrade", config=config)
    for name in ("alice", "bob"):
        lindos(
            "create-user",
            "--username",
            name,
            "--email",
            f"{name}@example.com",
            "--password",
            f"{name}-right-password",
            config=config,
        )
    lindos("repo-create", "secret", "--type", "git", "--owner", "alice", "--private", config=config)
    return config


def wait_for(port: int, proc) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("lindos serve exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("lindos serve did not answer")


def page_latencies(port: int, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    return times


def git_attacker(port: int, stop: threading.Event, answers: collections.Counter) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    n = 0
    while not stop.is_set():
        n += 1
        auth = base64.b64encode(f"alice:guess-{threading.get_ident()}-{n}".encode()).decode()
        conn.request(
            "GET", "/secret/info/refs?service=git-upload-pack", headers={"Authorization": f"Basic {auth}"}
        )
        response = conn.getresponse()
        response.read()
        answers[response.status] += 1


def web_attacker(port: int, stop: threading.Event, answers: collections.Counter) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/_admin/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    n = 0
    while not stop.is_set():
        n += 1
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "bob",
                "password": f"guess-{threading.get_ident()}-{n}",
            }
        )
        conn.request(
            "POST",
            "/_admin/login",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Referer": f"http://127.0.0.1:{port}/_admin/login",
            },
        )
        response = conn.getresponse()
        response.read()
        answers[response.status] += 1


def flood(port: int, attacker, threads: int, seconds: float, pages: int):
    stop = threading.Event()
    answers: collections.Counter = collections.Counter()
    workers = [
        threading.Thread(target=attacker, args=(port, stop, answers), daemon=True) for _ in range(threads)
    ]
    start = time.monotonic()
    for worker in workers:
        worker.start()
    time.sleep(min(2.0, seconds / 4))  # let the flood build up
    latencies = page_latencies(port, pages)
    remaining = seconds - (time.monotonic() - start)
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    for worker in workers:
        worker.join(timeout=120)
    elapsed = time.monotonic() - start
    return latencies, answers, sum(answers.values()) / elapsed


def row(name: str, latencies: list[float], answers=None, rate=None) -> str:
    ordered = sorted(latencies)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    flood_text = (
        "-"
        if answers is None
        else ", ".join(f"{count} x {status}" for status, count in sorted(answers.items()))
    )
    rate_text = "-" if rate is None else f"{rate:.0f}"
    return f"| {name} | {statistics.median(latencies):.1f} | {p90:.1f} | {flood_text} | {rate_text} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attackers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--keep", help="folder to use and keep (default: a temporary one, removed)")
    args = parser.parse_args()
    home = args.keep or tempfile.mkdtemp(prefix="lindos-flood-")
    os.makedirs(home, exist_ok=True)
    proc = None
    try:
        config = setup(home)
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "lindos", "serve", "--port", str(port), "--no-migrate"],
            env=dict(ENV, LINDOS_CONFIG=config),
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(home, "serve.log"), "w"),
        )
        wait_for(port, proc)
        page_latencies(port, 5)  # warm up
        print(f"{args.attackers} attackers, {args.seconds:g} s each, {args.pages} page loads of GET /\n")
        print("| case | page median ms | page p90 ms | flood answers | flood attempts/s |")
        print("|---|---:|---:|---|---:|")
        print(row("idle", page_latencies(port, args.pages)), flush=True)
        print(
            row(
                "wrong git Basic auth flood",
                *flood(port, git_attacker, args.attackers, args.seconds, args.pages),
            ),
            flush=True,
        )
        print(
            row(
                "wrong web login flood", *flood(port, web_attacker, args.attackers, args.seconds, args.pages)
            ),
            flush=True,
        )
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
