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
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pages  # noqa: E402
from pages import ENV, bench_home, free_port, time_page  # noqa: E402

REPO = "graph"
TARGET_MS = 60.0


def setup(home: str, commits: int) -> tuple[str, str]:
    """Create the instance in ``home``; return (INI path, repository dir)."""
    config = pages.create_config(home)
    repo_dir = os.path.join(home, "repos", REPO)
    os.makedirs(os.path.dirname(repo_dir))
    make = [sys.executable, os.path.join(HERE, "make_graph_repo.py"), repo_dir, "--commits", str(commits)]
    subprocess.run(make, env=ENV, check=True)
    took = pages.init_instance(config)  # repo-scan registers it and writes the commit-graph, as a push would
    print(f"repo-scan (with the commit-graph): {took:.1f}s", file=sys.stderr)
    return config, repo_dir


def git(repo_dir: str, *args: str) -> str:
    cmd = ["git", "--git-dir", repo_dir, *args]
    return subprocess.run(cmd, env=ENV, check=True, capture_output=True, text=True).stdout.strip()


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
    server = pages.start_server(config, port, os.path.join(home, "serve.log"), "--threads", "4")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        rows = []
        for name, url, headers in urls(repo_dir):
            if "~100" in url:  # the diff page takes ids, not git's syntax
                base = git(repo_dir, "rev-parse", "master~100")
                url = url.replace(url.split("diff1=")[1].split("&")[0], base)
            first, median, p90 = time_page(conn, url, runs, headers)
            rows.append({"page": name, "first": first, "median": median, "p90": p90})
        conn.close()
        return rows
    finally:
        pages.stop_process(server)


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
    with bench_home(args.keep, "lindos-bench-graph-") as home:
        rows = run(home, args.commits, args.runs)
    print(markdown_table(rows))
    page_one = rows[0]["median"]
    print(
        f"\nChangelog page 1 with graph: {page_one:.1f} ms warm (target {TARGET_MS:.0f} ms): "
        + ("met" if page_one <= TARGET_MS else "NOT met")
    )
    return 0 if page_one <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
