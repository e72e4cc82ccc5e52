"""Generate a deterministic git repository with branches and merges, for
the changelog graph benchmark.

    python bench/make_graph_repo.py DEST [--commits 100000]

A ``master`` line where, every 20 commits, a topic branch of 4 commits
forks and is merged back (a merge commit with two parents), plus three
long-lived branches (``stable``, ``next``, ``feature/x``) that fork early
and keep receiving commits, so the graph has several lanes all the way
down. One small file per commit keeps ``git fast-import`` fast (a few
seconds for 100,000 commits): the page under test reads history, not
trees.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
ENV.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
START = 1_500_000_000
SIDE_BRANCHES = ("stable", "next", "feature/x")


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


class Writer:
    """Feeds fast-import one commit at a time; marks count up from 1."""

    def __init__(self, proc):
        self.proc = proc
        self.mark = 0
        self.when = START

    def commit(self, ref: str, parents: list[int], text: str) -> int:
        self.mark += 1
        self.when += 60
        ident = f"Bench Author <bench@example.com> {self.when} +0000".encode()
        out = [b"commit %s\nmark :%d\n" % (ref.encode(), self.mark)]
        out.append(b"author %s\ncommitter %s\n" % (ident, ident))
        out.append(_data(text.encode()))
        if parents:
            out.append(b"from :%d\n" % parents[0])
            for p in parents[1:]:
                out.append(b"merge :%d\n" % p)
        out.append(b"M 100644 inline f%d.txt\n" % (self.mark % 50))
        out.append(_data(b"%d\n" % self.mark))
        out.append(b"\n")
        self.proc.stdin.write(b"".join(out))
        return self.mark


def generate(dest: str, commits: int) -> None:
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=master", dest], env=ENV, check=True)
    proc = subprocess.Popen(
        ["git", "--git-dir", dest, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE, env=ENV
    )
    w = Writer(proc)
    master = w.commit("refs/heads/master", [], "Initial commit")
    sides = {name: w.commit(f"refs/heads/{name}", [master], f"Start {name}") for name in SIDE_BRANCHES}
    n = 0
    while w.mark < commits:
        n += 1
        master = w.commit("refs/heads/master", [master], f"Change {n} on master")
        if n % 20 == 0:
            topic = master
            for i in range(4):
                topic = w.commit(f"refs/heads/topic{n % 7}", [topic], f"Topic {n} step {i}")
            master = w.commit("refs/heads/master", [master, topic], f"Merge topic {n}")
        if n % 5 == 0:
            name = SIDE_BRANCHES[n % len(SIDE_BRANCHES)]
            sides[name] = w.commit(f"refs/heads/{name}", [sides[name]], f"Work {n} on {name}")
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit(f"git fast-import failed ({proc.returncode})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest")
    parser.add_argument("--commits", type=int, default=100_000)
    args = parser.parse_args(argv)
    if os.path.exists(args.dest) and os.listdir(args.dest):
        parser.error(f"{args.dest} exists and is not empty")
    started = time.monotonic()
    generate(args.dest, args.commits)
    print(f"{args.dest}: {args.commits} commits in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
