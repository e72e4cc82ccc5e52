"""The hardened waitress: a real ``lindos serve`` keeps answering while a
thousand clients hold half-sent request headers, and a client that never
finishes its header is cut off."""

import io
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from lindos.webserver import waitress_server
from lindos.webserver.limits import raise_open_files_limit
from lindos.webserver.waitress_server import Server, bind_socket_sets, bind_sockets, server_options
from tests.cli.test_serve import ENV
from tests.cli.test_serve import Server as ServeProcess
from tests.services import free_port

IDLE_CLIENTS = 1000


def hello_app(environ, start_response):
    if environ["PATH_INFO"] == "/file":  # as Django's FileResponse answers
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        wrapper = environ.get("wsgi.file_wrapper")
        body = io.BytesIO(b"hello")
        return wrapper(body, 8192) if wrapper else iter(lambda: body.read(8192), b"")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


class _Config:
    max_body_size = 1 << 20


@pytest.fixture
def running_server(monkeypatch):
    """An in-process hardened server on a free port; yields its port."""
    monkeypatch.setattr(waitress_server.HardenedServer, "header_timeout", 1)
    sockets = bind_sockets("127.0.0.1", 0)
    server = Server(hello_app, sockets, server_options(_Config, 2, raise_open_files_limit()))
    server.adj.cleanup_interval = 0  # sweep on every loop turn
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield sockets[0].getsockname()[1]
    server.close()
    thread.join(5)


def half_header(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
    return sock


def get(port: int, path: str = "/", timeout: float = 30) -> tuple[int, bytes]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        return response.status, response.read()


def test_an_unfinished_request_header_is_cut_off(running_server):
    slow = half_header(running_server)
    started = time.monotonic()
    slow.settimeout(20)
    # Keep trickling bytes: activity alone must not keep the header open.
    closed = False
    while time.monotonic() - started < 15:
        try:
            slow.sendall(b"a")
            if slow.recv(1024, socket.MSG_DONTWAIT) == b"":
                closed = True
                break
        except BlockingIOError:
            pass
        except OSError:
            closed = True
            break
        time.sleep(0.2)
    slow.close()
    assert closed, "a header trickled for 15 s was still being read"
    assert get(running_server) == (200, b"hello")


def test_a_finished_request_is_answered_after_a_pause_shorter_than_the_deadline(running_server):
    sock = socket.create_connection(("127.0.0.1", running_server), timeout=10)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    time.sleep(0.3)
    sock.sendall(b"Connection: close\r\n\r\n")
    answer = b""
    while chunk := sock.recv(4096):
        answer += chunk
    sock.close()
    assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b"hello")


def test_head_sends_no_body(running_server):
    """Else the body would be read as the next response on the connection."""
    sock = socket.create_connection(("127.0.0.1", running_server), timeout=10)
    sock.sendall(
        b"HEAD /file HTTP/1.1\r\nHost: x\r\n\r\nGET /file HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    answer = b""
    while chunk := sock.recv(4096):
        answer += chunk
    sock.close()
    head, get = answer.split(b"HTTP/1.1 200 OK")[1:]
    assert head.endswith(b"\r\n\r\n") and b"hello" not in head
    assert b"Content-Length: 5\r\n" in head
    assert get.endswith(b"\r\n\r\nhello")
    for path in (b"/", b"/file"):
        sock = socket.create_connection(("127.0.0.1", running_server), timeout=10)
        sock.sendall(b"HEAD " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
        sock.close()
        assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b"\r\n\r\n"), answer


def test_options_follow_the_open_files_limit():
    assert server_options(_Config, 8, 1024)["connection_limit"] == 1024 - waitress_server.RESERVED_FILES
    assert server_options(_Config, 8, 300)["connection_limit"] == 100
    assert server_options(_Config, 8, 1 << 20)["connection_limit"] == waitress_server.MAX_CONNECTIONS
    options = server_options(_Config, 8, 4096)
    assert options["asyncore_use_poll"] is True  # select() fails past descriptor 1,024
    assert options["channel_timeout"] == waitress_server.IDLE_TIMEOUT
    assert options["max_request_body_size"] == 1 << 20


def test_a_busy_port_is_an_oserror():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        with pytest.raises(OSError):
            bind_sockets("127.0.0.1", blocker.getsockname()[1])


def test_each_process_gets_its_own_queue_and_connections_are_spread():
    # One shared queue let the first process awake accept a whole burst of
    # keep-alive clients; with a queue per process the kernel spreads them.
    sets = bind_socket_sets("127.0.0.1", 0, 2)
    clients = []
    try:
        port = sets[0][0].getsockname()[1]
        assert [s[0].getsockname()[1] for s in sets] == [port, port]
        assert sets[0][0] is not sets[1][0]
        clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(40)]
        time.sleep(0.2)
        accepted = [0, 0]
        for index, (listener,) in enumerate(sets):
            while True:
                try:
                    conn, _ = listener.accept()
                except BlockingIOError:
                    break
                conn.close()
                accepted[index] += 1
        assert sum(accepted) == 40
        assert min(accepted) > 0, accepted  # all 40 in one queue: 1 chance in 2**39
    finally:
        for sock in clients + [s for one in sets for s in one]:
            sock.close()


def test_a_busy_port_is_an_oserror_for_every_set():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        with pytest.raises(OSError):
            bind_socket_sets("127.0.0.1", blocker.getsockname()[1], 3)


@pytest.fixture
def serve_home(tmp_path):
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


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_keeps_answering_with_a_thousand_half_sent_headers(serve_home, workers):
    folder, port = serve_home
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if raise_open_files_limit() < IDLE_CLIENTS + 200:
        pytest.skip(f"the open files hard limit ({hard}) is below {IDLE_CLIENTS + 200}")
    server = ServeProcess("--workers", workers, cwd=folder)
    idle = []
    try:
        server.read_lines(2)
        assert get(port, "/_admin/login")[0] == 200
        for _ in range(IDLE_CLIENTS):
            idle.append(half_header(port))
        # Every idle socket was accepted (none is waiting in the backlog
        # for a free slot) and the server still answers others.
        time.sleep(1)
        for _ in range(5):
            assert get(port, "/_admin/login", timeout=10)[0] == 200
        assert get(port, "/")[0] == 200
        # The idle clients are still connected: nothing was dropped to make room.
        for sock in idle[:: IDLE_CLIENTS // 10]:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
    finally:
        for sock in idle:
            sock.close()
        assert server.stop() == 0
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    with open(server.stderr_path) as fh:
        log = fh.read()
    assert "Traceback" not in log and "connection limit" not in log, log


def test_the_connections_own_address_is_kept_beside_the_forwarded_one():
    """With waitress's proxy handling, REMOTE_ADDR becomes the forwarded
    client; container logins need the connection's own address too."""

    def echo(environ, start_response):
        body = f"{environ['REMOTE_ADDR']} {environ.get(waitress_server.PEER_KEY)}".encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    class Config(_Config):
        server_proxy = {"trusted_proxy": "127.0.0.1", "trusted_proxy_headers": "x-forwarded-for"}

    sockets = bind_sockets("127.0.0.1", 0)
    server = Server(echo, sockets, server_options(Config, 1, raise_open_files_limit()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        port = sockets[0].getsockname()[1]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/",
            headers={"X-Forwarded-For": "203.0.113.9", "Lindos.Peer-Address": "198.51.100.1"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.read() == b"203.0.113.9 127.0.0.1"
    finally:
        server.close()
        thread.join(5)
