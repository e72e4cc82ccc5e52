"""Mercurial over HTTP through Lindos, side by side with ``hg serve``.

    python bench/hg_transport.py [--commits 2000] [--new 200] [--runs 5]
                                 [--hg-repo PATH] [--keep DIR] [--big-push MB]

Builds the git benchmark repository (``bench/make_repo.py``: 2,000 commits
over 300 files, five 5,000-line files) and converts it to Mercurial with
``hg convert`` (the same shape; ``--hg-repo`` reuses a converted one, the
conversion takes minutes), sets up a throw-away Lindos (own INI,
``db-upgrade``, an admin, ``repo-scan``) served by ``lindos serve``, and
times with the real ``hg`` client, alternating the two servers run by run:

* **clone**: ``hg clone -U URL`` of the whole repository;
* **pull**: ``hg pull URL`` into a clone that lacks the newest ``--new``
  changesets;
* **push**: ``hg push URL`` of the newest ``--new`` changesets into a
  repository that lacks them (a fresh copy each run; Lindos with the
  admin's password, recording the push in its journal).

``--big-push MB`` then pushes one changeset holding MB files of one random
(incompressible) megabyte each to an empty repository, through Lindos and
through ``hg serve``, and reports each server process's peak resident
memory (``VmHWM``) after it: the bundle is streamed to disk, never held
whole (``--runs 0`` skips the timings).

``hg serve`` runs on the same repository folders (``web.allow-push=*``,
``web.push_ssl=false``). The target is Lindos's median within 1.2x of
``hg serve``'s. Prints a Markdown table; nothing is left running and the
temporary folder is removed unless ``--keep`` names one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pages  # noqa: E402
from pages import PASSWORD, bench_home, free_port, hg_binary, wait_for  # noqa: E402

TARGET_RATIO = 1.2
ENV = {k: v for k, v in pages.ENV.items() if not k.startswith("HG")}
ENV.update(HGRCPATH="", HGPLAIN="1", HGUSER="Bench <bench@example.com>")


def hg(*args: str, cwd: str | None = None) -> str:
    return subprocess.run(
        [hg_binary(), *args], env=ENV, cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def timed_hg(*args: str) -> float:
    started = time.perf_counter()
    hg(*args)
    return (time.perf_counter() - started) * 1000


class HgServe:
    """``hg serve`` of one repository on a free port, while in a ``with``."""

    def __init__(self, repo: str, log: str):
        self.repo, self.log, self.port = repo, log, free_port()

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(
            [
                hg_binary(),
                "serve",
                "-R",
                self.repo,
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--config",
                "web.push_ssl=false",
                "--config",
                "web.allow-push=*",
            ],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "ab"),
        )
        wait_for(self.port, self.proc, what="hg serve")
        return f"http://127.0.0.1:{self.port}/"

    def __exit__(self, *exc) -> None:
        pages.stop_process(self.proc)


def build(home: str, commits: int, new: int, hg_repo: str | None) -> dict:
    config = pages.create_config(home, env=ENV)
    full = os.path.join(home, "full.hg")
    if hg_repo:
        hg("clone", "-U", hg_repo, full)
    else:
        src = os.path.join(home, "src.git")
        subprocess.run(
            [sys.executable, os.path.join(HERE, "make_repo.py"), src, "--commits", str(commits)],
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        hg("--config", "extensions.convert=", "convert", "-q", src, full)
    total = int(hg("log", "-R", full, "-r", "tip", "-T", "{rev}")) + 1
    base = os.path.join(home, "base.hg")
    hg("clone", "-U", "-r", str(total - new - 1), full, base)
    repos = os.path.join(home, "repos")
    os.makedirs(repos, exist_ok=True)
    hg("clone", "-U", full, os.path.join(repos, "served"))
    return {"config": config, "full": full, "base": base, "repos": repos, "total": total}


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def big_client(work: str, megabytes: int) -> str:
    client = os.path.join(work, "big")
    hg("init", client)
    for number in range(megabytes):
        with open(os.path.join(client, f"blob{number:04d}.bin"), "wb") as fh:
            fh.write(os.urandom(1 << 20))
    hg("commit", "-R", client, "-A", "-m", "big push")
    return client


def big_push(client: str, url: str, server: subprocess.Popen) -> dict:
    before = peak_rss_mb(server.pid)
    took = timed_hg("push", "-R", client, url)
    return {"before": before, "after": peak_rss_mb(server.pid), "ms": took}


def run(home: str, commits: int, new: int, runs: int, hg_repo: str | None, big: int = 0) -> list[dict]:
    info = build(home, commits, new, hg_repo)
    repos, work = info["repos"], os.path.join(home, "work")
    os.makedirs(work)
    if big:
        os.makedirs(os.path.join(repos, "bigpush"))
        hg("init", os.path.join(repos, "bigpush"))
    for i in range(runs):  # a target per push run, registered before the server starts
        hg("clone", "-U", info["base"], os.path.join(repos, f"push{i}"))
        hg("clone", "-U", info["base"], os.path.join(repos, f"servepush{i}"))
    config = info["config"]
    pages.init_instance(config, env=ENV)
    port = free_port()
    server = pages.start_server(config, port, os.path.join(home, "serve.log"), "--threads", "4", env=ENV)
    times = {(op, who): [] for op in ("clone", "pull", "push") for who in ("lindos", "hg serve")}
    try:
        lindos_url = f"http://127.0.0.1:{port}/"
        pushing_url = f"http://admin:{PASSWORD}@127.0.0.1:{port}/"
        hg("clone", "-U", lindos_url + "served", os.path.join(work, "warm"))  # first request
        with HgServe(os.path.join(repos, "served"), os.path.join(home, "hgserve.log")) as served:
            for i in range(runs):
                order = [("lindos", lindos_url + "served"), ("hg serve", served)]
                for who, url in order if i % 2 == 0 else order[::-1]:
                    tag = f"{who.replace(' ', '')}{i}"
                    dest = os.path.join(work, f"clone-{tag}")
                    times["clone", who].append(timed_hg("clone", "-U", url, dest))
                    shutil.rmtree(dest)
                    client = os.path.join(work, f"pull-{tag}")
                    hg("clone", "-U", info["base"], client)
                    times["pull", who].append(timed_hg("pull", "-R", client, url))
                    shutil.rmtree(client)
        for i in range(runs):
            for who in ["lindos", "hg serve"] if i % 2 == 0 else ["hg serve", "lindos"]:
                client = os.path.join(work, f"push-{who.replace(' ', '')}{i}")
                hg("clone", "-U", info["full"], client)
                if who == "lindos":
                    times["push", who].append(timed_hg("push", "-R", client, pushing_url + f"push{i}"))
                else:
                    with HgServe(
                        os.path.join(repos, f"servepush{i}"), os.path.join(home, "hgserve.log")
                    ) as url:
                        times["push", who].append(timed_hg("push", "-R", client, url))
                shutil.rmtree(client)
        if big:
            client = big_client(work, big)
            found = big_push(client, pushing_url + "bigpush", server)
            print(
                f"push of {big} MB through Lindos: {found['ms']:.0f} ms; lindos serve peak "
                f"RSS {found['before']:.0f} MB before, {found['after']:.0f} MB after"
            )
            empty = os.path.join(work, "hgserve-big")
            hg("init", empty)
            serve = HgServe(empty, os.path.join(home, "hgserve.log"))
            with serve as url:
                theirs = big_push(client, url, serve.proc)
            print(
                f"push of {big} MB through hg serve: {theirs['ms']:.0f} ms; hg serve peak "
                f"RSS {theirs['before']:.0f} MB before, {theirs['after']:.0f} MB after"
            )
    finally:
        pages.stop_process(server)
    rows = []
    if not runs:
        return rows
    for op, label in (
        ("clone", f"clone ({info['total']} changesets)"),
        ("pull", f"pull of {new} new changesets"),
        ("push", f"push of {new} changesets"),
    ):
        ours, theirs = statistics.median(times[op, "lindos"]), statistics.median(times[op, "hg serve"])
        rows.append(
            {
                "op": label,
                "lindos": ours,
                "hgserve": theirs,
                "ratio": ours / theirs,
                "ok": ours <= TARGET_RATIO * theirs,
                "samples": (times[op, "lindos"], times[op, "hg serve"]),
            }
        )
    return rows


def markdown_table(rows: list[dict]) -> str:
    out = [
        "| operation | Lindos median ms | hg serve median ms | ratio | target | met |",
        "|---|---:|---:|---:|---:|:-:|",
    ]
    for r in rows:
        out.append(
            f"| {r['op']} | {r['lindos']:.0f} | {r['hgserve']:.0f} | {r['ratio']:.2f} | "
            f"{TARGET_RATIO} | {'yes' if r['ok'] else 'NO'} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--new", type=int, default=200, help="changesets pulled and pushed")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per operation and server")
    parser.add_argument("--hg-repo", help="an hg conversion of the benchmark repository to reuse")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (must not exist)")
    parser.add_argument(
        "--big-push",
        type=int,
        default=0,
        metavar="MB",
        help="also push a file of MB megabytes and report server memory",
    )
    args = parser.parse_args(argv)
    with bench_home(args.keep, "lindos-bench-hg-") as home:
        rows = run(home, args.commits, args.new, args.runs, args.hg_repo, args.big_push)
    print(markdown_table(rows))
    for r in rows:
        print(
            f"{r['op']}: lindos {[round(x) for x in r['samples'][0]]}, "
            f"hg serve {[round(x) for x in r['samples'][1]]}"
        )
    missed = [r["op"] for r in rows if not r["ok"]]
    if missed:
        print(f"\nOver target: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
