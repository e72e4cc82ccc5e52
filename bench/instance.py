"""A throw-away Lindos with the benchmark repository, served by ``lindos
serve`` on a free port (shared by ``edges.py``, ``load.py`` and
``memory.py``). The steps it is made of (``create_config``,
``init_instance``, ``start_server``, ``stop_process``) are ``pages.py``'s, which
the benches with repositories of their own use directly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from pages import ENV, PASSWORD, REPO, USER, free_port, setup, start_server, stop_process  # noqa: E402


class Instance:
    """``home`` holds the INI, ``repos/bench`` and the server's log."""

    def __init__(self, home: str, commits: int):
        self.home = home
        self.config = setup(home, commits)
        self.repo_dir = os.path.join(home, "repos", REPO)
        self.port = free_port()
        self.server = None
        self.log_path = os.path.join(home, "serve.log")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def push_url(self) -> str:
        return f"http://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{REPO}"

    def start(self, *extra: str) -> None:
        self.server = start_server(self.config, self.port, self.log_path, *extra)

    def stop(self) -> None:
        if self.server is None:
            return
        stop_process(self.server, timeout=30)
        self.server = None

    def log(self) -> str:
        with open(self.log_path, errors="replace") as fh:
            return fh.read()

    def wait_for_log(self, pattern: str, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(re.findall(pattern, self.log())) < count:
            if time.monotonic() > deadline:
                sys.exit(f"timed out waiting for {count} x {pattern!r} in the server log")
            time.sleep(0.1)

    def server_pids(self) -> list[int]:
        """The serving processes: the parent's children, else the parent."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.server.pid)], capture_output=True, text=True
        ).stdout.split()
        return [int(p) for p in out] or [self.server.pid]


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def git(*args: str, cwd: str | None = None) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=dict(ENV, GIT_TERMINAL_PROMPT="0"),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
