"""``lindos serve`` in a process of its own, as an operator starts it on a
fresh configuration: it migrates, creates the first admin, prints the URL
and how to log in, and serves pages."""

import http.cookiejar
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from tests.services import free_port

ENV = {k: v for k, v in os.environ.items() if k not in ("LINDOS_CONFIG", "DJANGO_SETTINGS_MODULE")}


class Server:
    def __init__(self, *args, cwd):
        self.stderr_path = os.path.join(cwd, "serve.stderr")
        self.stderr = open(self.stderr_path, "w")  # a file: a full pipe would block the server
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lindos", "serve", *args],
            cwd=cwd,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        # A thread reads stdout: select() on a buffered pipe misses lines
        # already pulled into Python's buffer.
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def read_lines(self, count: int, timeout: float = 60) -> list[str]:
        """The first `count` lines of stdout (the server prints them once bound)."""
        lines, deadline = [], time.monotonic() + timeout
        while len(lines) < count:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self.stop()
                with open(self.stderr_path) as fh:
                    raise AssertionError(f"server printed {lines!r}; stderr: {fh.read()}")
            lines.append(line)
        return lines

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
        return self.proc.returncode


@pytest.fixture
def fresh_config(tmp_path):
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


def log_in(base: str, username: str, password: str) -> str:
    """Log in through the form like a browser; return the home page's HTML."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "_admin/login").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"}
    ).encode()
    request = urllib.request.Request(base + "_admin/login", data=body, headers={"Referer": base})
    return opener.open(request).read().decode()


def test_serve_on_a_fresh_configuration(fresh_config):
    folder, port = fresh_config
    server = Server(cwd=folder)
    try:
        url_line, admin_line = server.read_lines(2)
        assert url_line == f"Lindos is running at http://localhost:{port}/"
        match = re.fullmatch(
            r"Log in as the first admin: username 'admin', password '([^']+)' "
            r"\(change it under My account\)\.",
            admin_line,
        )
        assert match, admin_line
        base = f"http://127.0.0.1:{port}/"
        for path in ("", "_admin/login"):
            with urllib.request.urlopen(base + path, timeout=30) as response:
                assert response.status == 200
        home = log_in(base, "admin", match.group(1))
        assert 'class="who" href="/_admin/my_account"' in home and ">Administrator<" in home
        assert (folder / "data" / "lindos.db").exists()
    finally:
        server.stop()

    # A second start finds the admin and the schema in place.
    again = Server(cwd=folder)
    try:
        # The admin exists: name it, and the way back in, never "create one".
        assert again.read_lines(2)[1] == (
            "Log in with an admin account (admin); forgotten password: lindos set-password USERNAME."
        )
    finally:
        again.stop()


def test_serve_port_zero_prints_the_port_really_bound(fresh_config):
    folder, _ = fresh_config
    server = Server("--port", "0", "--host", "127.0.0.1", cwd=folder)
    try:
        line = server.read_lines(1)[0]
        port = int(re.fullmatch(r"Lindos is running at http://localhost:(\d+)/", line).group(1))
        assert port != 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_admin/login", timeout=30) as response:
            assert response.status == 200
    finally:
        server.stop()


def test_serve_on_a_busy_port_is_one_line(fresh_config):
    folder, port = fresh_config
    import socket

    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", port))
        blocker.listen()
        result = subprocess.run(
            [sys.executable, "-m", "lindos", "serve"],
            cwd=folder,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"lindos: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )


def test_serve_without_migrating_an_empty_database_is_one_line(fresh_config):
    folder, _ = fresh_config
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "serve", "--no-migrate"],
        cwd=folder,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("lindos: error: database 'sqlite:///")
    assert result.stderr.endswith("no such table: accounts_user (run: lindos db-upgrade)\n")
    assert result.stderr.count("\n") == 1


def test_serve_on_an_unreachable_database_is_one_line(tmp_path):
    port = free_port()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lindos",
            "config-create",
            "lindos.ini",
            f"port={port}",
            f"sqlalchemy.url=postgresql://nobody:pw@127.0.0.1:{free_port()}/nothing",
        ],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "serve"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("lindos: error: database 'postgresql://nobody:***@127.0.0.1:")
    assert result.stderr.count("\n") == 1


def get_status(port: int, host_header: str) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/_admin/login", headers={"Host": host_header})
        return conn.getresponse().status
    finally:
        conn.close()


def test_serve_on_every_interface_says_so_and_trusts_only_this_machines_names(tmp_path):
    """--host 0.0.0.0 on a file written for 127.0.0.1, canonical_url unset:
    the line says where it really listens, a warning says links follow the
    request's address, and only this machine's names are answered."""
    import socket

    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", "lindos.ini", f"port={port}", "canonical_url="],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    server = Server("--host", "0.0.0.0", cwd=tmp_path)
    try:
        line = server.read_lines(1)[0]
        assert re.fullmatch(
            rf"Lindos is running at http://[^/]+:{port}/ "
            rf"\(listening on every interface, 0\.0\.0\.0 port {port}\)",
            line,
        ), line
        assert get_status(port, f"{socket.gethostname()}:{port}") == 200
        assert get_status(port, f"localhost:{port}") == 200
        assert get_status(port, "evil.example:8080") == 400
    finally:
        server.stop()
    with open(server.stderr_path) as fh:
        assert (
            "lindos: warning: canonical_url is not set: links in mail are built on the address "
            "each action came in on" in fh.read()
        )


def test_behind_a_trusted_proxy_the_client_address_is_remote_addr(tmp_path):
    """[server:main] trusted_proxy and trusted_proxy_headers reach waitress:
    the login throttle then counts the client's address, not the proxy's."""
    import dataclasses
    import http.client

    from django.conf import settings

    from lindos.cli.serve import create_server

    seen = []

    def app(environ, start_response):
        seen.append(environ["REMOTE_ADDR"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    def address_seen(server_proxy, forwarded_for):
        config = dataclasses.replace(settings.LINDOS, server_proxy=server_proxy)
        server = create_server(config, app, "127.0.0.1", 0, 1)
        stop = threading.Event()

        def serve():
            # (server.run() loops until closed from outside, racing its select())
            while not stop.is_set():
                server.asyncore.loop(timeout=0.05, map=server._map, count=1)
            server.task_dispatcher.shutdown()
            server.close()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
            conn.request("GET", "/", headers={"X-Forwarded-For": forwarded_for})
            assert conn.getresponse().read() == b"ok"
            conn.close()
        finally:
            stop.set()
            thread.join(timeout=10)
        return seen[-1]

    assert address_seen({}, "203.0.113.9") == "127.0.0.1"
    assert (
        address_seen(
            {"trusted_proxy": "127.0.0.1", "trusted_proxy_headers": "x-forwarded-for"},
            "198.51.100.1, 203.0.113.9",
        )
        == "203.0.113.9"
    )
    # A proxy that is not the trusted one cannot choose its address.
    assert (
        address_seen(
            {"trusted_proxy": "192.0.2.1", "trusted_proxy_headers": "x-forwarded-for"}, "203.0.113.9"
        )
        == "127.0.0.1"
    )
