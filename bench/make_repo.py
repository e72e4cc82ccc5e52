"""Generate a deterministic git repository for benchmarks.

    python bench/make_repo.py DEST [--commits 2000] [--seed 1]

The repository is bare, with ``--commits`` commits on ``master`` over 300
files: five 5,000-line files with long histories (``big/``) and 295 small
files in 15 packages. Each commit edits a few lines of one big file (60% of
commits) or a few small files. Authors, dates and contents come from fixed
lists and a seeded ``random.Random``, so the same arguments always give the
same commit ids. A tag ``v0.N`` marks every 500th commit.

It feeds ``git fast-import`` directly (one process, one pack), streaming
commit by commit so memory stays flat.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time

BIG_FILES = 5
BIG_LINES = 5000
SMALL_FILES = 295
PACKAGES = 15
START_TIME = 1_500_000_000
AUTHORS = [
    ("Alice Archer", "alice@example.com"),
    ("Bob Builder", "bob@example.com"),
    ("Chloé Dubois", "chloe@example.org"),
    ("Dmitri Ivanov", "dmitri@example.net"),
    ("Eve Engineer", "eve@example.com"),
    ("Fumiko Tanaka", "fumiko@example.jp"),
    ("Gareth Jones", "gareth@example.co.uk"),
    ("Zoë Ærøskøbing", "zoe@example.dk"),
]
WORDS = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu "
    "nu xi omicron pi rho sigma tau upsilon phi chi psi omega"
).split()

# Git's environment, isolated from the host's config (see lindos.vcs.process;
# duplicated here so the script runs without the package installed).
ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
ENV.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")


def random_line(rng: random.Random, n: int) -> str:
    return f"{n:05d} " + " ".join(rng.choices(WORDS, k=rng.randint(3, 8)))


class Tree:
    """The current content of every file, as lists of lines."""

    def __init__(self, rng: random.Random):
        self.files: dict[str, list[str]] = {}
        for i in range(BIG_FILES):
            self.files[f"big/module{i}.txt"] = [random_line(rng, n) for n in range(BIG_LINES)]
        for i in range(SMALL_FILES):
            path = f"pkg{i % PACKAGES:02d}/file{i:03d}.py"
            self.files[path] = [random_line(rng, n) for n in range(rng.randint(5, 60))]
        self.big = sorted(p for p in self.files if p.startswith("big/"))
        self.small = sorted(p for p in self.files if not p.startswith("big/"))

    def content(self, path: str) -> bytes:
        return ("\n".join(self.files[path]) + "\n").encode("utf-8")


def edit_lines(rng: random.Random, lines: list[str], edits: int) -> None:
    """Replace, insert or delete a few lines (size stays roughly stable)."""
    for _ in range(edits):
        pos = rng.randrange(len(lines))
        action = rng.random()
        if action < 0.7:
            lines[pos] = random_line(rng, pos)
        elif action < 0.85 or len(lines) < 3:
            lines.insert(pos, random_line(rng, pos))
        else:
            del lines[pos]


def choose_changes(rng: random.Random, tree: Tree) -> list[str]:
    """Edit the tree for one commit; return the paths changed."""
    if rng.random() < 0.6:
        path = rng.choice(tree.big)
        edit_lines(rng, tree.files[path], rng.randint(1, 6))
        return [path]
    paths = rng.sample(tree.small, rng.randint(1, 3))
    for path in paths:
        edit_lines(rng, tree.files[path], rng.randint(1, 4))
    return paths


def data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def commit_block(
    mark: int, when: int, author: tuple[str, str], message: str, tree: Tree, paths: list[str]
) -> bytes:
    ident = f"{author[0]} <{author[1]}> {when} +0000".encode()
    out = [
        b"commit refs/heads/master\nmark :%d\n" % mark,
        b"author %s\ncommitter %s\n" % (ident, ident),
        data(message.encode("utf-8")),
    ]
    for path in paths:
        out.append(b"M 100644 inline %s\n" % path.encode("utf-8"))
        out.append(data(tree.content(path)))
    out.append(b"\n")
    return b"".join(out)


def generate(dest: str, commits: int, seed: int) -> None:
    rng = random.Random(seed)
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=master", dest], env=ENV, check=True)
    proc = subprocess.Popen(
        ["git", "--git-dir", dest, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE, env=ENV
    )
    tree = Tree(rng)
    when = START_TIME
    for index in range(commits):
        if index == 0:
            paths, message = sorted(tree.files), "Initial import"
        else:
            paths = choose_changes(rng, tree)
            message = f"Change {', '.join(paths)}\n\nCommit number {index}."
        when += rng.randint(60, 7200)
        author = AUTHORS[rng.randrange(len(AUTHORS))]
        proc.stdin.write(commit_block(index + 1, when, author, message, tree, paths))
        if (index + 1) % 500 == 0:
            proc.stdin.write(b"reset refs/tags/v0.%d\nfrom :%d\n\n" % ((index + 1) // 500, index + 1))
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit(f"git fast-import failed ({proc.returncode})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", help="path of the bare repository to create")
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if os.path.exists(args.dest) and os.listdir(args.dest):
        parser.error(f"{args.dest} exists and is not empty")
    started = time.monotonic()
    generate(args.dest, args.commits, args.seed)
    print(f"{args.dest}: {args.commits} commits in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
