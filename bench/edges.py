"""Speed at the edges: first views after a push, and archives.

    python bench/edges.py [--commits 2000] [--runs 10] [--keep DIR]

Sets up the benchmark repository (``bench/make_repo.py``) in a throw-away
Lindos served by ``lindos serve`` (default workers), then:

1. First view of a 5,000-line Python file changed by the last push, and
   its first annotate, two ways side by side:
   * "not prepared": the change is pushed straight into the repository on
     disk (no Lindos push, so nothing is prepared), as every push was
     handled before;
   * "prepared": the next change is pushed over HTTP; the script waits for
     the server's "prepared push" log line (the background worker's work
     after the push, what a notification mail's reader finds), then views.
   Each against the warm view (median of ``--runs`` more requests).
2. Archives: ``tip.zip`` and ``tip.tar.gz``: the first download (built and
   stored), the second (the stored file), and a repeat with the ETag (304).

Prints Markdown tables for bench/README.md.  Nothing is left running.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from instance import Instance, git  # noqa: E402
from pages import REPO  # noqa: E402

PY_FILE = "pkg00/big_module.py"
PY_LINES = 5000


def python_source(version: int) -> str:
    """A 5,000-line Python module; ``version`` changes a few lines."""
    out = []
    for n in range(PY_LINES // 10):
        out.append(f"def function_{n}(value, factor={n + version}):")
        out.append(f'    """Compute step {n} of the pipeline (v{version})."""')
        out.append(f"    total = value * factor + {n}")
        out.append("    if total % 3 == 0:")
        out.append(f"        return {{'step': {n}, 'total': total, 'name': 'f{n}'}}")
        out.append("    for item in range(factor):")
        out.append("        total += item ** 2 - (item // 2)")
        out.append(f'    print("step", {n}, total)  # trace')
        out.append("    return total")
        out.append("")
    return "\n".join(out) + "\n"


def timed_get(conn: http.client.HTTPConnection, url: str, headers=None) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    conn.request("GET", url, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    return (time.perf_counter() - started) * 1000, response.status, body


def view_pair(conn, tip: str, runs: int) -> dict:
    """First file view and first annotate at ``tip``, then warm medians."""
    result = {}
    for page in ("files", "annotate"):
        url = f"/{REPO}/{page}/{tip}/{PY_FILE}"
        first, status, _ = timed_get(conn, url)
        assert status == 200, (url, status)
        warm = statistics.median(timed_get(conn, url)[0] for _ in range(runs))
        result[page] = (first, warm)
    return result


def commit_change(work: str, version: int, message: str) -> str:
    os.makedirs(os.path.join(work, os.path.dirname(PY_FILE)), exist_ok=True)
    with open(os.path.join(work, PY_FILE), "w") as fh:
        fh.write(python_source(version))
    git("add", PY_FILE, cwd=work)
    git("-c", "user.name=Bench", "-c", "user.email=bench@example.com", "commit", "-qm", message, cwd=work)
    return git("rev-parse", "HEAD", cwd=work).strip()


def first_views(inst: Instance, runs: int) -> list[tuple]:
    work = os.path.join(inst.home, "work")
    git("clone", "-q", inst.repo_dir, work)
    conn = http.client.HTTPConnection("127.0.0.1", inst.port, timeout=300)
    # Warm the process (templates, database) on unrelated pages first.
    for url in (f"/{REPO}", f"/{REPO}/files/tip/"):
        timed_get(conn, url)
    rows = []
    # Not prepared: straight into the repository on disk.
    tip = commit_change(work, 1, "Add a big Python module")
    git("push", "-q", inst.repo_dir, "HEAD:master", cwd=work)
    tip = commit_change(work, 2, "Change the big Python module")
    git("push", "-q", inst.repo_dir, "HEAD:master", cwd=work)
    views = view_pair(conn, tip, runs)
    rows.append(("not prepared (pushed on disk)", views))
    # Prepared: pushed through Lindos; wait for the background worker.
    prepared_before = inst.log().count("prepared push to")
    tip = commit_change(work, 3, "Change the big Python module again")
    started = time.perf_counter()
    git("push", "-q", inst.push_url, "HEAD:master", cwd=work)
    pushed = time.perf_counter()
    inst.wait_for_log("prepared push to", prepared_before + 1)
    ready = time.perf_counter()
    views = view_pair(conn, tip, runs)
    rows.append(
        (
            f"prepared (push {1000 * (pushed - started):.0f} ms, ready "
            f"{1000 * (ready - pushed):.0f} ms after it)",
            views,
        )
    )
    conn.close()
    return rows


def archives(inst: Instance) -> list[tuple]:
    conn = http.client.HTTPConnection("127.0.0.1", inst.port, timeout=300)
    rows = []
    for ext in ("zip", "tar.gz"):
        url = f"/{REPO}/archive/tip.{ext}"
        first, status, body1 = timed_get(conn, url)
        assert status == 200
        second, status, body2 = timed_get(conn, url)
        assert status == 200 and body1 == body2, "the stored archive differs"
        conn.request("HEAD", url)
        etag = conn.getresponse()
        etag.read()
        tag = etag.getheader("ETag")
        revalidate, status, _ = timed_get(conn, url, {"If-None-Match": tag})
        assert status == 304, status
        rows.append((f"tip.{ext}", len(body1), first, second, revalidate))
    conn.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--workers", default=None, help="passed to lindos serve")
    parser.add_argument("--keep", metavar="DIR")
    args = parser.parse_args(argv)
    home = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="lindos-bench-edges-")
    if args.keep:
        os.makedirs(home)
    inst = Instance(home, args.commits)
    try:
        inst.start(*(["--workers", args.workers] if args.workers else []))
        views = first_views(inst, args.runs)
        archive_rows = archives(inst)
    finally:
        inst.stop()
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    print(
        "| 5,000-line Python file, last push | first view ms | warm view ms | ratio "
        "| first annotate ms | warm annotate ms | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, v in views:
        (fv, wv), (fa, wa) = v["files"], v["annotate"]
        print(f"| {name} | {fv:.0f} | {wv:.1f} | {fv / wv:.1f}x | {fa:.0f} | {wa:.1f} | {fa / wa:.1f}x |")
    print()
    print("| archive | bytes | first download ms | second download ms | second/first | 304 with ETag ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, size, first, second, revalidate in archive_rows:
        print(f"| {name} | {size:,} | {first:.0f} | {second:.1f} | {second / first:.2f} | {revalidate:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
