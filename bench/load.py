"""Many people at once: page clients, pushing clients and idle sockets
against one ``lindos serve``.

    python bench/load.py [--commits 2000] [--seconds 30] [--workers N] [--keep DIR]

Sets up the benchmark repository in a throw-away Lindos (as ``pages.py``)
and runs, one after another:

0. The server as one process (``--workers 1``, as before): 1 client, then
   30 clients back to back; then the server is restarted as configured
   (default one process per core) for the phases below.
1. ``unloaded``: 1 page client, requests back to back: the median latency
   every later phase is compared with, and the 1-client throughput.
2. ``saturated``: 30 page clients, back to back (no pause): throughput
   against 1 client shows how many cores serve pages.  Latency here is
   30 / throughput by Little's law, whatever the server, so it is not
   compared with the unloaded median.
3. ``browsing``: 30 page clients, arriving at random moments over the
   first pause and then pausing between pages as people reading
   them do (``--pause``, default 1-5 s uniform): p95 against the
   unloaded median.
4. ``browsing + 5 pushing``: the same plus 5 clients each committing to
   its own branch and pushing over HTTP in a loop (each push also queues
   the background preparation of its pages).
5. ``... + 1,000 idle``: phase 4 while 1,000 more sockets hold half-sent
   request headers (renewed as the server's header deadline closes them).

Pages cycle through summary, changelog, changeset, files root, a
5,000-line file view, its annotate and its raw text (warmed first).  Page
clients are asyncio connections with keep-alive in this process; an error
is any status other than 200, a dropped connection or a timeout (60 s).
The resident size of every server process is sampled throughout.

Prints a Markdown table for bench/README.md.  Nothing is left running.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from instance import Instance, git, rss_mb  # noqa: E402
from pages import BIG_FILE, REPO  # noqa: E402

PAGES = [
    f"/{REPO}",
    f"/{REPO}/changelog",
    f"/{REPO}/changeset/tip",
    f"/{REPO}/files/tip/",
    f"/{REPO}/files/tip/{BIG_FILE}",
    f"/{REPO}/annotate/tip/{BIG_FILE}",
    f"/{REPO}/raw/tip/{BIG_FILE}",
]
TIMEOUT = 60


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.pushes = 0
        self.push_errors: list[str] = []
        self.push_seconds: list[float] = []


async def read_response(reader) -> tuple[int, bool]:
    """(status, keep-alive) after reading the whole body."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked, close = None, False, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        close = True
    return status, not close


async def page_client(
    port: int, stop: float, pause: tuple[float, float] | None, stats: Stats, rng: random.Random
) -> None:
    reader = writer = None
    index = rng.randrange(len(PAGES))
    if pause:
        # People arrive at different moments: thirty first requests in the
        # same millisecond are a burst, not browsing.
        await asyncio.sleep(rng.uniform(0, pause[1]))
    while time.monotonic() < stop:
        path = PAGES[index % len(PAGES)]
        index += 1
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            status, keep = await asyncio.wait_for(read_response(reader), TIMEOUT)
            if status != 200:
                stats.errors.append(f"{path}: HTTP {status}")
            else:
                stats.latencies.append((time.perf_counter() - started) * 1000)
            if not keep:
                writer.close()
                writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            stats.errors.append(f"{path}: {type(exc).__name__} {exc}")
            if writer is not None:
                writer.close()
            writer = None
        if pause:
            await asyncio.sleep(rng.uniform(*pause))
    if writer is not None:
        writer.close()


async def idle_sockets(port: int, count: int, stop: float) -> int:
    """Keep ``count`` half-sent headers open until ``stop``; returns how
    many the server closed (and were opened again)."""
    closed = 0

    async def one():
        nonlocal closed
        while time.monotonic() < stop:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                await writer.drain()
                await asyncio.wait_for(reader.read(1), max(0.1, stop - time.monotonic()))
                closed += 1
                writer.close()
            except TimeoutError:
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.5)

    await asyncio.gather(*(one() for _ in range(count)))
    return closed


def pusher(inst: Instance, index: int, stop: float, stats: Stats, lock: threading.Lock) -> None:
    work = os.path.join(inst.home, f"push{index}")
    if not os.path.isdir(work):
        git("clone", "-q", inst.repo_dir, work)
    n = 0
    while time.monotonic() < stop:
        n += 1
        with open(os.path.join(work, f"pkg01/load{index}.txt"), "a") as fh:
            fh.write(f"push {n} from client {index}\n")
        git("add", ".", cwd=work)
        git(
            "-c",
            "user.name=Pusher",
            "-c",
            "user.email=p@example.com",
            "commit",
            "-qm",
            f"Load push {n} from client {index}",
            cwd=work,
        )
        started = time.perf_counter()
        try:
            git("push", "-q", inst.push_url, f"HEAD:refs/heads/load{index}", cwd=work)
            with lock:
                stats.pushes += 1
                stats.push_seconds.append(time.perf_counter() - started)
        except subprocess.CalledProcessError as exc:
            with lock:
                stats.push_errors.append(exc.stderr.strip()[-300:])


def sample_memory(inst: Instance, stop_event: threading.Event, peak: dict) -> None:
    while not stop_event.is_set():
        for pid in inst.server_pids():
            peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
        stop_event.wait(0.5)


def run_phase(
    inst: Instance,
    name: str,
    seconds: float,
    clients: int,
    pause: tuple[float, float] | None,
    pushers: int = 0,
    idle: int = 0,
) -> dict:
    stats = Stats()
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    threads = [threading.Thread(target=pusher, args=(inst, i, stop, stats, lock)) for i in range(pushers)]
    for thread in threads:
        thread.start()

    async def main():
        rng = random.Random(len(name))
        tasks = [
            page_client(inst.port, stop, pause, stats, random.Random(rng.random())) for _ in range(clients)
        ]
        idle_task = idle_sockets(inst.port, idle, stop) if idle else None
        results = await asyncio.gather(*tasks, *([idle_task] if idle_task else []))
        return results[-1] if idle_task else 0

    started = time.monotonic()
    idle_closed = asyncio.run(main())
    elapsed = time.monotonic() - started
    for thread in threads:
        thread.join()
    lat = sorted(stats.latencies)

    def pct(p):
        return lat[min(len(lat) - 1, int(p * (len(lat) - 1)))] if lat else float("nan")

    return {
        "phase": name,
        "requests": len(lat),
        "rate": len(lat) / elapsed,
        "median": statistics.median(lat) if lat else float("nan"),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "pushes": stats.pushes,
        "push_errors": len(stats.push_errors),
        "push_error_samples": stats.push_errors[:3],
        "push_median": statistics.median(stats.push_seconds) if stats.push_seconds else None,
        "idle_closed": idle_closed,
    }


def warm_up(inst: Instance) -> None:
    """Every server process renders every page once before timing: eight
    connections per process, spread by the kernel over the processes."""
    run_phase(inst, "warm-up", 5, 8 * len(inst.server_pids()), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--long-seconds",
        type=float,
        default=60,
        help="length of the phases with pushing clients (default 60)",
    )
    parser.add_argument("--workers", default=None, help="passed to lindos serve")
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="browsing clients' pause between pages, seconds (default 1 5)",
    )
    parser.add_argument("--keep", metavar="DIR")
    args = parser.parse_args(argv)
    pause = tuple(args.pause)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # 1,000 idle sockets and more
    home = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="lindos-bench-load-")
    if args.keep:
        os.makedirs(home)
    inst = Instance(home, args.commits)
    rows, peak = [], {}
    stop_sampling = threading.Event()
    try:
        # The same server as one process (the earlier set-up), then as
        # configured (default: one process per core).
        inst.start("--workers", "1")
        warm_up(inst)
        single = [
            run_phase(inst, "one process: 1 client", args.seconds, 1, None),
            run_phase(inst, "one process: 30 clients, no pause", args.seconds, 30, None),
        ]
        inst.stop()
        inst.start(*(["--workers", args.workers] if args.workers else []))
        time.sleep(2)
        sampler = threading.Thread(target=sample_memory, args=(inst, stop_sampling, peak), daemon=True)
        sampler.start()
        warm_up(inst)
        processes = len(inst.server_pids())
        rows.append(run_phase(inst, f"{processes} processes: 1 client", args.seconds, 1, None))
        rows.append(run_phase(inst, f"{processes} processes: 30 clients, no pause", args.seconds, 30, None))
        rows.append(
            run_phase(
                inst, f"browsing: 30 clients, {pause[0]:g}-{pause[1]:g} s pauses", args.seconds, 30, pause
            )
        )
        rows.append(
            run_phase(inst, "browsing: 30 clients + 5 pushing", args.long_seconds, 30, pause, pushers=5)
        )
        rows.append(
            run_phase(
                inst,
                "browsing: 30 + 5 pushing + 1,000 idle sockets",
                args.long_seconds,
                30,
                pause,
                pushers=5,
                idle=1000,
            )
        )
    finally:
        stop_sampling.set()
        inst.stop()
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    rows = single + rows
    base = rows[2]  # the configured server, 1 client
    print(
        f"Server processes: {processes}; peak resident size per process: "
        + ", ".join(f"{mb:.0f} MB" for mb in sorted(peak.values(), reverse=True))
    )
    print()
    print("(ratios against the configured server with 1 client)")
    print()
    print(
        "| phase | pages | pages/s | x 1 client | median ms | p95 ms | p95 / unloaded median "
        "| errors | pushes (median s) | push errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        pushes = f"{r['pushes']} ({r['push_median']:.1f})" if r["push_median"] else "-"
        print(
            f"| {r['phase']} | {r['requests']} | {r['rate']:.1f} | {r['rate'] / base['rate']:.2f} | "
            f"{r['median']:.1f} | {r['p95']:.1f} | {r['p95'] / base['median']:.1f} | {r['errors']} | "
            f"{pushes} | {r['push_errors'] if r['pushes'] or r['push_errors'] else '-'} |"
        )
    for r in rows:
        for sample in r["error_samples"] + r["push_error_samples"]:
            print(f"error in {r['phase']}: {sample}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
