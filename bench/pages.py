"""Latency of the repository browser's pages next to the git commands that
do the same work.

    python bench/pages.py [--commits 2000] [--runs 30] [--keep DIR]
                          [--hg | --hg-repo PATH]

Builds the benchmark repository with ``bench/make_repo.py`` (2,000 commits
over 300 files, five 5,000-line files), sets up a throw-away Lindos in a
temporary folder (its own INI, ``lindos db-upgrade``, an admin user,
``lindos repo-scan`` to register the repository), serves it with ``lindos
serve`` on a free port, and times each page over HTTP (one keep-alive
connection, after one warm-up request that also fills the caches). Each
page is compared with its git command, timed as a fresh process as a shell
would run it. The target is: median page latency within 2x of (git command
+ 20 ms).

With ``--hg`` the same repository is also converted to Mercurial (``hg
convert``, a few minutes; ``--hg-repo`` reuses a conversion) and served as
``bench-hg``: its pages are timed too, against the same targets as git's.

Prints a Markdown table (paste it into bench/README.md). Nothing is left
running; the temporary folder is removed unless ``--keep`` names one.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = "bench"
BIG_FILE = "big/module0.txt"
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LINDOS_"))}
ENV.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
USER, PASSWORD = "admin", "bench-Password-1"


def lindos(*args: str, config: str, env: dict = ENV) -> None:
    """Run a ``lindos`` sub-command against the benchmark INI."""
    cmd = [sys.executable, "-m", "lindos", *args]
    subprocess.run(cmd, env=dict(env, LINDOS_CONFIG=config), check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hg_binary() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), "hg")
    return beside if os.path.exists(beside) else (shutil.which("hg") or "hg")


def add_hg_copy(home: str, hg_repo: str | None) -> None:
    """``repos/bench-hg``: the benchmark repository in Mercurial."""
    env = dict(ENV, HGRCPATH="", HGPLAIN="1")
    dest = os.path.join(home, "repos", REPO + "-hg")
    if hg_repo:
        cmd = [hg_binary(), "clone", "-q", "-U", hg_repo, dest]
    else:
        cmd = [
            hg_binary(),
            "--config",
            "extensions.convert=",
            "convert",
            "-q",
            os.path.join(home, "repos", REPO),
            dest,
        ]
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)


def create_config(home: str, env: dict = ENV) -> str:
    """``lindos config-create`` of ``home/lindos.ini``; return its path."""
    config = os.path.join(home, "lindos.ini")
    create = [sys.executable, "-m", "lindos", "config-create", config]
    subprocess.run(create, env=env, check=True, stdout=subprocess.DEVNULL)
    return config


def init_instance(config: str, env: dict = ENV) -> float:
    """``db-upgrade``, the admin user and ``repo-scan`` (which registers
    the repositories under ``repos/``); return the seconds repo-scan took."""
    lindos("db-upgrade", config=config, env=env)
    admin = ["--username", USER, "--email", "admin@example.com", "--password", PASSWORD]
    lindos("create-user", *admin, "--admin", config=config, env=env)
    started = time.monotonic()
    lindos("repo-scan", config=config, env=env)
    return time.monotonic() - started


def setup(home: str, commits: int, hg: bool = False, hg_repo: str | None = None) -> str:
    """Create the instance in ``home``; return the INI path."""
    config = create_config(home)
    repo_dir = os.path.join(home, "repos", REPO)
    os.makedirs(os.path.dirname(repo_dir), exist_ok=True)
    subprocess.run(
        [sys.executable, os.path.join(HERE, "make_repo.py"), repo_dir, "--commits", str(commits)],
        env=ENV,
        check=True,
    )
    if hg or hg_repo:
        add_hg_copy(home, hg_repo)
    init_instance(config)
    return config


def start_server(config: str, port: int, log_path: str, *extra: str, env: dict = ENV) -> subprocess.Popen:
    """``lindos serve`` on ``port`` (its errors appended to ``log_path``),
    once it takes connections."""
    server = subprocess.Popen(
        [sys.executable, "-m", "lindos", "serve", "--port", str(port), *extra],
        env=dict(env, LINDOS_CONFIG=config),
        stdout=subprocess.DEVNULL,
        stderr=open(log_path, "ab"),
    )
    try:
        wait_for(port, server)
    except BaseException:  # sys.exit: leave nothing running
        stop_process(server)
        raise
    return server


def stop_process(proc: subprocess.Popen, timeout: float = 20) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def bench_home(keep: str | None, prefix: str):
    """The folder a bench builds in: ``keep`` (made, and kept), else a
    temporary one removed afterwards."""
    if keep:
        os.makedirs(keep)
        yield os.path.abspath(keep)
        return
    home = tempfile.mkdtemp(prefix=prefix)
    try:
        yield home
    finally:
        shutil.rmtree(home, ignore_errors=True)


def git(repo_dir: str, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", repo_dir, *args], env=ENV, check=True, stdout=subprocess.PIPE
    ).stdout


def time_command(cmd: list[str], runs: int) -> float:
    """Median wall time (ms) of a fresh process running ``cmd``."""
    subprocess.run(cmd, env=ENV, check=True, stdout=subprocess.DEVNULL)  # warm the page cache
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, env=ENV, check=True, stdout=subprocess.DEVNULL)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def wait_for(port: int, proc: subprocess.Popen, timeout: float = 60, what: str = "lindos serve") -> None:
    """Until ``proc`` (``what``) takes connections on ``port``; exit if it
    ends or does not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{what} did not start")


def time_page(
    conn: http.client.HTTPConnection, url: str, runs: int, headers: dict | None = None
) -> tuple[float, float, float]:
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


def pages(repo_dir: str) -> list[tuple[str, str, list[str]]]:
    """(page, URL, equivalent git command) for every page measured."""
    tip = git(repo_dir, "rev-parse", "HEAD").decode().strip()
    gd = ["git", "--git-dir", repo_dir]
    return [
        ("summary", f"/{REPO}", [*gd, "log", "-n", "10"]),
        ("changelog", f"/{REPO}/changelog", [*gd, "log", "-n", "20"]),
        ("changeset", f"/{REPO}/changeset/{tip}", [*gd, "show", tip]),
        ("files root", f"/{REPO}/files/tip/", [*gd, "ls-tree", "HEAD"]),
        (
            "file view (5,000 lines)",
            f"/{REPO}/files/tip/{BIG_FILE}",
            [*gd, "cat-file", "-p", f"HEAD:{BIG_FILE}"],
        ),
        (
            "annotate (5,000 lines)",
            f"/{REPO}/annotate/tip/{BIG_FILE}",
            [*gd, "blame", "--porcelain", "HEAD", "--", BIG_FILE],
        ),
        ("raw (5,000 lines)", f"/{REPO}/raw/tip/{BIG_FILE}", [*gd, "cat-file", "-p", f"HEAD:{BIG_FILE}"]),
    ]


def hg_pages(home: str) -> list[tuple[str, str]]:
    """(page, URL) of the Mercurial copy, in the order of ``pages``."""
    tip = subprocess.run(
        [hg_binary(), "-R", os.path.join(home, "repos", REPO + "-hg"), "log", "-r", "tip", "-T", "{node}"],
        env=dict(ENV, HGRCPATH=""),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    name = REPO + "-hg"
    return [
        (f"hg: {page}", url.replace(f"/{REPO}", f"/{name}", 1).replace("TIP", tip))
        for page, url in [
            ("summary", f"/{REPO}"),
            ("changelog", f"/{REPO}/changelog"),
            ("changeset", f"/{REPO}/changeset/TIP"),
            ("files root", f"/{REPO}/files/tip/"),
            ("file view (5,000 lines)", f"/{REPO}/files/tip/{BIG_FILE}"),
            ("annotate (5,000 lines)", f"/{REPO}/annotate/tip/{BIG_FILE}"),
            ("raw (5,000 lines)", f"/{REPO}/raw/tip/{BIG_FILE}"),
        ]
    ]


def run(home: str, commits: int, runs: int, hg: bool = False, hg_repo: str | None = None) -> list[dict]:
    config = setup(home, commits, hg, hg_repo)
    repo_dir = os.path.join(home, "repos", REPO)
    port = free_port()
    server = start_server(config, port, os.path.join(home, "serve.log"), "--threads", "4")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        rows = []
        tip = git(repo_dir, "rev-parse", "HEAD").decode().strip()
        for name, url, cmd in pages(repo_dir):
            first, median, p90 = time_page(conn, url, runs)
            git_ms = time_command(cmd, runs)
            target = 2 * (git_ms + 20)
            rows.append(
                {
                    "page": name,
                    "url": url,
                    "first": first,
                    "median": median,
                    "p90": p90,
                    "git": " ".join(["git", *cmd[3:]]).replace(tip, "TIP"),
                    "git_ms": git_ms,
                    "target": target,
                    "ok": median <= target,
                }
            )
        if hg or hg_repo:
            for (name, url), git_row in zip(hg_pages(home), list(rows)):
                first, median, p90 = time_page(conn, url, runs)
                rows.append(
                    {
                        **git_row,
                        "page": name,
                        "url": url,
                        "first": first,
                        "median": median,
                        "p90": p90,
                        "ok": median <= git_row["target"],
                    }
                )
        conn.close()
        return rows
    finally:
        stop_process(server)


def markdown_table(rows: list[dict]) -> str:
    out = [
        "| page | median ms | p90 ms | first (cold) ms | git command | git ms | target ms | met |",
        "|---|---:|---:|---:|---|---:|---:|:-:|",
    ]
    for r in rows:
        git_cmd = r["git"] if len(r["git"]) < 60 else r["git"][:57] + "..."
        out.append(
            f"| {r['page']} | {r['median']:.1f} | {r['p90']:.1f} | {r['first']:.0f} | "
            f"`{git_cmd}` | {r['git_ms']:.1f} | {r['target']:.1f} | "
            f"{'yes' if r['ok'] else 'NO'} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (must not exist)")
    parser.add_argument("--hg", action="store_true", help="also time a Mercurial copy")
    parser.add_argument("--hg-repo", help="an hg conversion of the benchmark repository to reuse")
    args = parser.parse_args(argv)
    with bench_home(args.keep, "lindos-bench-pages-") as home:
        rows = run(home, args.commits, args.runs, args.hg, args.hg_repo)
    print(markdown_table(rows))
    missed = [r["page"] for r in rows if not r["ok"]]
    if missed:
        print(f"\nOver target: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
