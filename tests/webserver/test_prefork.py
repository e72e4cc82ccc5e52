"""``lindos serve --workers N``: N server processes on one port, the
background worker in exactly one, a dead one replaced, all stopped
together."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from lindos.webserver.prefork import Supervisor, usable_cores
from tests.cli.test_serve import ENV
from tests.cli.test_serve import Server as ServeProcess
from tests.services import free_port


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return sorted(int(p) for p in out.split())


def wait_until(predicate, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def log_of(server) -> str:
    with open(server.stderr_path) as fh:
        return fh.read()


@pytest.fixture
def home(tmp_path):
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", "lindos.ini", f"port={port}"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return tmp_path, port


def test_workers_share_the_port_and_one_runs_the_background_worker(home):
    folder, port = home
    server = ServeProcess("--workers", "3", cwd=folder)
    try:
        assert server.read_lines(1)[0] == f"Lindos is running at http://localhost:{port}/"
        children = wait_until(
            lambda: len(children_of(server.proc.pid)) == 3 and children_of(server.proc.pid),
            what="three server processes",
        )
        for _ in range(12):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_admin/login", timeout=30) as response:
                assert response.status == 200
        wait_until(lambda: "lindos-prepare: started" in log_of(server), what="the background worker")
        time.sleep(1)  # any second worker would have started by now
        log = log_of(server)
        assert log.count("lindos-outbox: started") == 1
        assert log.count("lindos-prepare: started") == 1

        # A server process that dies is replaced; the others keep serving.
        os.kill(children[-1], signal.SIGKILL)
        replaced = wait_until(
            lambda: (
                len(children_of(server.proc.pid)) == 3
                and children[-1] not in children_of(server.proc.pid)
                and children_of(server.proc.pid)
            ),
            what="a replacement",
        )
        assert set(children[:-1]) <= set(replaced)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200
    finally:
        status = server.stop()
    assert status == 0
    # No server process outlives the parent.
    for pid in children:
        assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read()
    assert "Traceback" not in log_of(server)


def test_workers_key_and_cores(home):
    folder, port = home
    ini = folder / "lindos.ini"
    ini.write_text(ini.read_text().replace("#workers = 0", "workers = 2"))
    server = ServeProcess(cwd=folder)
    try:
        server.read_lines(1)
        wait_until(lambda: len(children_of(server.proc.pid)) == 2, what="two server processes")
    finally:
        assert server.stop() == 0
    assert usable_cores() == len(os.sched_getaffinity(0))


def test_a_bad_workers_value_is_one_line(home):
    folder, _ = home
    ini = folder / "lindos.ini"
    ini.write_text(ini.read_text().replace("#workers = 0", "workers = many"))
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "serve"],
        cwd=folder,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.endswith(
        "[server:main] workers = 'many': expected a number of processes (0: one per core)\n"
    )


def test_a_child_that_keeps_dying_stops_the_supervisor(monkeypatch):
    import lindos.webserver.prefork as prefork

    monkeypatch.setattr(prefork, "MAX_QUICK_DEATHS", 2)
    monkeypatch.setattr(prefork.time, "sleep", lambda s: None)

    def crash(index):
        raise RuntimeError("broken")

    assert Supervisor(1, crash).run() == 1


def test_a_push_to_any_process_is_prepared_by_the_worker_process(home, tmp_path):
    """The push lands in whichever process accepts it; the job reaches
    the one background worker through the spool and the wake-up pipe."""
    folder, port = home
    for argv in (
        ["db-upgrade"],
        [
            "create-user",
            "--username",
            "pusher",
            "--email",
            "p@example.com",
            "--password",
            "push-Password-1",
            "--admin",
        ],
        ["repo-create", "proj", "--type", "git", "--owner", "pusher"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "lindos", *argv],
            cwd=folder,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    server = ServeProcess("--workers", "2", cwd=folder)
    try:
        server.read_lines(1)
        work = tmp_path / "work"
        git = ["git", "-c", "user.name=P", "-c", "user.email=p@example.com", "-C", str(work)]
        subprocess.run(["git", "init", "-q", "-b", "master", str(work)], check=True)
        (work / "big.py").write_text("".join(f"def f{n}():\n    return {n}\n" for n in range(500)))
        subprocess.run([*git, "add", "."], check=True)
        subprocess.run([*git, "commit", "-qm", "first"], check=True)
        url = f"http://pusher:push-Password-1@127.0.0.1:{port}/proj"
        for n in range(3):  # three pushes, likely through both processes
            if n:
                (work / "big.py").write_text((work / "big.py").read_text() + f"x = {n}\n")
                subprocess.run([*git, "commit", "-qam", f"change {n}"], check=True)
            subprocess.run(
                [*git, "push", "-q", url, "master"],
                check=True,
                timeout=120,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
            )
        wait_until(
            lambda: log_of(server).count("prepared push to proj:") == 3,
            timeout=60,
            what="three prepared pushes",
        )
        assert "1 changeset(s), 1 file(s), 1 annotation(s)" in log_of(server)
    finally:
        assert server.stop() == 0
    assert "Traceback" not in log_of(server)


def test_server_processes_end_when_the_supervisor_is_killed(home):
    folder, port = home
    server = ServeProcess("--workers", "2", cwd=folder)
    try:
        server.read_lines(1)
        children = wait_until(
            lambda: len(children_of(server.proc.pid)) == 2 and children_of(server.proc.pid),
            what="two server processes",
        )
        server.proc.kill()
        server.proc.wait()
        wait_until(
            lambda: (
                not any(
                    os.path.exists(f"/proc/{pid}") and "zombie" not in open(f"/proc/{pid}/status").read()
                    for pid in children
                )
            ),
            timeout=30,
            what="the server processes to end",
        )
    finally:
        server.stop()


def lindos_processes_in(folder) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if (
                os.readlink(f"/proc/{entry}/cwd") == str(folder)
                and b"lindos" in open(f"/proc/{entry}/cmdline", "rb").read()
            ):
                found.append(int(entry))
        except OSError:
            pass
    return found


def test_stopping_right_after_start_leaves_no_process(home):
    folder, _ = home
    for _ in range(3):
        server = ServeProcess("--workers", "2", cwd=folder)
        server.read_lines(1)
        server.stop()
        wait_until(lambda: not lindos_processes_in(folder), timeout=30, what="no server process left")
