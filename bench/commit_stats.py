"""How long counting a repository's commit statistics takes (the
background pass of ``lindos.activity.statistics``), git and hg.

    python bench/commit_stats.py [--git-commits 50000] [--hg-commits 5000]

Builds a git repository with ``lindos.vcs.testing.make_git_repo`` (one
``git fast-import``) and an hg repository with ``make_hg_repo`` (one ``hg
commit`` per changeset, so keep it smaller), 7 authors, a commit every few
hours, then times: a whole first count without a time budget, a pass after
one more commit (what a push costs), and how many changesets the first
pass of 20 s (the worker's budget) reads. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

AUTHORS = [f"Author {n} <a{n}@example.com>" for n in range(7)]


def setup_django(folder: str) -> None:
    ini = os.path.join(folder, "lindos.ini")
    subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", ini], check=True, stdout=subprocess.DEVNULL
    )
    os.environ["LINDOS_CONFIG"] = ini
    os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.settings"
    import django

    django.setup()


def history(n: int, extra: int = 0) -> list[dict]:
    return [
        {
            "author": AUTHORS[i % 7],
            "date": 1_500_000_000 + i * 3 * 3600,
            "files": {f"f{i % 50}.txt": f"{i}\n"},
        }
        for i in range(n + extra)
    ]


def fresh_stats():
    return SimpleNamespace(counted_heads=[], activity={}, commits=0, complete=False)


def measure(kind: str, commits: int, folder: str) -> None:
    from lindos.activity import statistics
    from lindos.vcs import open_repository
    from lindos.vcs.testing import hg_binary, make_git_repo, make_hg_repo

    make = make_git_repo if kind == "git" else make_hg_repo
    path = os.path.join(folder, f"{kind}-{commits}")
    started = time.monotonic()
    make(path, history(commits))
    print(f"{kind}: built {commits} commits in {time.monotonic() - started:.1f} s")

    stats = fresh_stats()
    started = time.monotonic()
    statistics.count_pass(open_repository(path), stats, budget=3600)
    whole = time.monotonic() - started
    print(
        f"{kind}: whole count of {stats.commits} changesets: {whole:.2f} s ({stats.commits / whole:,.0f}/s)"
    )

    first = fresh_stats()
    statistics.count_pass(open_repository(path), first, budget=statistics.BUDGET_SECONDS)
    print(f"{kind}: first pass within {statistics.BUDGET_SECONDS:g} s counted {first.commits} changesets")

    # One more commit, as a push brings: only it is read.
    if kind == "git":
        make_git_repo(path + "-more", history(commits, 1))
        path = path + "-more"
    else:
        hg = hg_binary()
        subprocess.run([hg, "-R", path, "update", "-q", "tip"], check=True)
        with open(os.path.join(path, "more.txt"), "w") as fh:
            fh.write("more\n")
        subprocess.run([hg, "-R", path, "commit", "-q", "-A", "-u", AUTHORS[0], "-m", "more"], check=True)
    started = time.monotonic()
    statistics.count_pass(open_repository(path), stats, budget=3600)
    print(
        f"{kind}: pass after one more commit: {(time.monotonic() - started) * 1000:.0f} ms, total {stats.commits}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--git-commits", type=int, default=50_000)
    parser.add_argument("--hg-commits", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lindos-bench-stats-") as folder:
        setup_django(folder)
        measure("git", args.git_commits, folder)
        measure("hg", args.hg_commits, folder)


if __name__ == "__main__":
    main()
