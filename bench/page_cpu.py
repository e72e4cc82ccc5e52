"""CPU time per request of the pages ``load.py`` cycles through.

    python bench/page_cpu.py [--commits 2000] [--runs 40] [--home DIR] [--profile PAGE]

Builds the benchmark instance (as ``pages.py``; or reuses ``--home`` from
an earlier ``--keep``), then requests each page in this process through
Django's test client, anonymous and with warm caches, and prints the
median CPU time (``time.process_time``) and wall time per request as a
Markdown table. CPU time is what several clients at once compete for, and
unlike wall time it hardly moves when other programs share the machine.
``--profile PAGE`` (a label from the table, e.g. ``annotate``) prints
cProfile's top functions for that page instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from pages import BIG_FILE, ENV, REPO, setup  # noqa: E402

PAGES = [
    ("summary", f"/{REPO}"),
    ("changelog", f"/{REPO}/changelog"),
    ("changeset", f"/{REPO}/changeset/tip"),
    ("files root", f"/{REPO}/files/tip/"),
    ("file view", f"/{REPO}/files/tip/{BIG_FILE}"),
    ("annotate", f"/{REPO}/annotate/tip/{BIG_FILE}"),
    ("raw", f"/{REPO}/raw/tip/{BIG_FILE}"),
]


def client_for(config: str):
    os.environ.update(ENV)
    os.environ["LINDOS_CONFIG"] = config
    os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.settings"
    import django

    django.setup()
    from django.test import Client

    return Client(HTTP_HOST="localhost")


def fetch(client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url}: status {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(body)


def measure(client, url: str, runs: int) -> tuple[float, float, int]:
    """Median CPU ms, median wall ms and body size of warm requests."""
    for _ in range(3):
        size = fetch(client, url)
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        fetch(client, url)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return statistics.median(cpu), statistics.median(wall), size


def profile(client, url: str, runs: int) -> None:
    for _ in range(3):
        fetch(client, url)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(runs):
        fetch(client, url)
    prof.disable()
    stats = pstats.Stats(prof).sort_stats("tottime")
    stats.print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--home", help="an instance kept by an earlier run (--keep)")
    parser.add_argument("--keep", help="build the instance in this folder and keep it")
    parser.add_argument("--profile", metavar="PAGE", help="print cProfile's figures for this page")
    args = parser.parse_args()
    if args.home:
        home, remove = args.home, False
        config = os.path.join(home, "lindos.ini")
    else:
        home = args.keep or tempfile.mkdtemp(prefix="lindos-cpu-")
        remove = not args.keep
        config = setup(home, args.commits)
    try:
        client = client_for(config)
        if args.profile:
            profile(client, dict(PAGES)[args.profile], args.runs)
            return
        print(f"Median of {args.runs} warm requests each, one process, Django's test client:\n")
        print("| page | CPU ms per request | wall ms | body bytes |")
        print("|---|---:|---:|---:|")
        for label, url in PAGES:
            cpu, wall, size = measure(client, url, args.runs)
            print(f"| {label} | {cpu:.1f} | {wall:.1f} | {size:,} |")
    finally:
        if remove:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
