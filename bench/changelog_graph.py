"""Latency of the changelog (with its revision graph) and the history pages
on a 100,000-commit git repository with branches and merges.

    python bench/changelog_graph.py [--commits 100000] [--runs 20] [--keep DIR]

Builds the repository with ``bench/make_graph_repo.py`` (``git
fast-import``: a master line with a merged topic branch every 20 commits
and three long-lived side branches), sets up a throw-away Lindos (its own
INI, ``lindos db-upgrade``, ``lindos repo-scan``, which writes git's
commit-graph file as a push does), serves it with ``lindos serve`` and times each page over one
keep-alive connection: the first request (cold) and the median and p90 of
``--runs`` more (warm). Target: the changelog's first page, graph
included, under 60 ms warm.

Prints a Markdown table (paste it into bench/README.md). Nothing is left
running; the temporary folder is removed unless ``--keep`` names one.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from pages import ENV, free_port, lindos, wait_for  # noqa: E402

REPO = "graph"
TARGET_MS = 60.0


def setup(home: str, commits: int) -> tuple[str, str]:
    """Create the instance in ``home``; return (INI path, repository dir)."""
    config = os.path.join(home, "lindos.ini")
    create = [sys.executable, "-m", "lindos", "config-create", config]
    subprocess.run(create, env=ENV, check=True, stdout=subprocess.DEVNULL)
    repo_dir = os.path.join(home, "repos", REPO)
    os.makedirs(os.path.dirname(repo_dir))
    make = [sys.executable, os.path.join(HERE, "make_graph_repo.py"), repo_dir, "--commits", str(commits)]
    subprocess.run(make, env=ENV, check=True)
    lindos("db-upgrade", config=config)
    admin = ["--username", "admin", "--email", "admin@example.com", "--password", "bench-Password-1"]
    lindos("create-user", *admin, "--admin", config=config)
    started = time.monotonic()
    lindos("repo-scan", config=config)  # registers it and writes the commit-graph, as a push would
    print(f"repo-scan (with the commit-graph): {time.monotonic() - started:.1f}s", file=sys.stderr)
    return config, repo_dir


def git(repo_dir: str, *args: str) -> str:
    cmd = ["git", "--git-dir", repo_dir, *args]
    return subprocess.run(cmd, env=ENV, check=True, capture_output=True, text=True).stdout.strip()


def time_url(conn, url: str, runs: int, headers: dict | None = None) -> tuple[float, float, float]:
    """(first, median, p90) in ms; the first request is the cold one."""
    samples = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        conn.request("GET", url, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        samples.append((time.perf_counter() - started) * 1000)
        if response.status != 200 or not body:
            sys.exit(f"{url}: HTTP {response.status}")
    first, warm = samples[0], sorted(samples[1:])
    p90 = warm[min(len(warm) - 1, int(round(0.9 * (len(warm) - 1))))]
    return first, statistics.median(warm), p90


def urls(repo_dir: str) -> list[tuple[str, str, dict | None]]:
    tip = git(repo_dir, "rev-parse", "master")
    middle = git(repo_dir, "rev-list", "--topo-order", "--skip=50000", "--max-count=1", "master")
    xhr = {"X-Requested-With": "XMLHttpRequest"}
    return [
        ("changelog, page 1 (every branch, graph)", f"/{REPO}/changelog", None),
        ("changelog, page 2", f"/{REPO}/changelog?page=2", None),
        ("changelog, page 500 (offset 49,900)", f"/{REPO}/changelog?page=500", None),
        ("changelog ?branch=stable", f"/{REPO}/changelog?branch=stable", None),
        ("changelog ?size=2000", f"/{REPO}/changelog?size=2000", None),
        ("changeset (tip)", f"/{REPO}/changeset/{tip}", None),
        ("files of an old changeset (branch filter)", f"/{REPO}/files/{middle}/", None),
        ("changeset_children of the tip (JSON)", f"/{REPO}/changeset_children/{tip}", xhr),
        ("changeset_children, 50,000 back (JSON)", f"/{REPO}/changeset_children/{middle}", xhr),
        ("file diff tip~100..tip", f"/{REPO}/diff/f1.txt?diff1={tip}~100&diff2={tip}", None),
    ]


def run(home: str, commits: int, runs: int) -> list[dict]:
    config, repo_dir = setup(home, commits)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lindos", "serve", "--port", str(port), "--threads", "4"],
        env=dict(ENV, LINDOS_CONFIG=config),
        stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(home, "serve.log"), "wb"),
    )
    try:
        wait_for(port, server)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        rows = []
        for name, url, headers in urls(repo_dir):
            if "~100" in url:  # the diff page takes ids, not git's syntax
                base = git(repo_dir, "rev-parse", "master~100")
                url = url.replace(url.split("diff1=")[1].split("&")[0], base)
            first, median, p90 = time_url(conn, url, runs, headers)
            rows.append({"page": name, "first": first, "median": median, "p90": p90})
        conn.close()
        return rows
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def markdown_table(rows: list[dict]) -> str:
    out = ["| page | median ms | p90 ms | first (cold) ms |", "|---|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['page']} | {r['median']:.1f} | {r['p90']:.1f} | {r['first']:.0f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (must not exist)")
    args = parser.parse_args(argv)
    if args.keep:
        os.makedirs(args.keep)
        home = os.path.abspath(args.keep)
    else:
        home = tempfile.mkdtemp(prefix="lindos-bench-graph-")
    try:
        rows = run(home, args.commits, args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    print(markdown_table(rows))
    page_one = rows[0]["median"]
    print(
        f"\nChangelog page 1 with graph: {page_one:.1f} ms warm (target {TARGET_MS:.0f} ms): "
        + ("met" if page_one <= TARGET_MS else "NOT met")
    )
    return 0 if page_one <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
