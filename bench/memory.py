"""Resident size of the server processes while many clients clone.

    python bench/memory.py [--commits 2000] [--clones 10] [--rounds 2] [--workers N]

Sets up the benchmark repository in a throw-away Lindos (as ``pages.py``),
then runs ``--clones`` parallel ``git clone`` over HTTP, ``--rounds``
times, plus the same number of parallel ``tip.tar.gz`` downloads, while
sampling the resident size (VmRSS) of every server process every 0.1 s.
Prints each process's size at rest and at its peak.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from instance import Instance, rss_mb  # noqa: E402
from pages import ENV, REPO  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--clones", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", default=None)
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="lindos-bench-memory-")
    inst = Instance(home, args.commits)
    peak: dict[int, float] = {}
    stop = threading.Event()
    try:
        inst.start(*(["--workers", args.workers] if args.workers else []))
        time.sleep(3)
        pids = inst.server_pids()
        rest = {pid: rss_mb(pid) for pid in pids}

        def sample():
            while not stop.is_set():
                for pid in pids:
                    peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
                stop.wait(0.1)

        threading.Thread(target=sample, daemon=True).start()
        started = time.monotonic()
        for round_ in range(args.rounds):
            clones = [
                subprocess.Popen(
                    [
                        "git",
                        "clone",
                        "-q",
                        "--bare",
                        f"{inst.base}/{REPO}",
                        os.path.join(home, f"clone{round_}-{n}"),
                    ],
                    env=ENV,
                )
                for n in range(args.clones)
            ]
            failed = sum(1 for proc in clones if proc.wait() != 0)
            if failed:
                sys.exit(f"{failed} clone(s) failed")

        def download(n):
            with urllib.request.urlopen(f"{inst.base}/{REPO}/archive/tip.tar.gz", timeout=300) as r:
                while r.read(1 << 16):
                    pass

        threads = [threading.Thread(target=download, args=(n,)) for n in range(args.clones)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        inst.stop()
        shutil.rmtree(home, ignore_errors=True)
    print(
        f"{args.rounds} x {args.clones} parallel clones and {args.clones} parallel tar.gz downloads "
        f"in {elapsed:.1f} s; {len(pids)} server process(es)"
    )
    print()
    print("| server process | at rest MB | peak MB |")
    print("|---|---:|---:|")
    for n, pid in enumerate(pids):
        print(f"| {n} | {rest[pid]:.0f} | {peak.get(pid, 0):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
