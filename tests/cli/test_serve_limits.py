"""Body limits in the real server (waitress as ``lindos serve`` builds it),
with raw sockets for what an attacker sends and the real git client for a
big push (security issue 6)."""

import base64
import os
import socket
import threading

import django
import pytest

django.setup()

from tests.gitclient import git_client  # noqa: E402
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def spooled(monkeypatch):
    """Every request body waitress moves to a temporary file, by size."""
    from waitress import buffers
    seen = []
    real = buffers.OverflowableBuffer._set_large_buffer

    def spy(self):
        seen.append(self.buf.__len__())
        return real(self)
    monkeypatch.setattr(buffers.OverflowableBuffer, "_set_large_buffer", spy)
    return seen


@pytest.fixture
def server(transactional_db, repo_root, settings):
    """``lindos.cli.serve.create_server`` in a thread (the test database is
    SQLite in memory, shared with the server thread as in tests/transport)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections

    from django.core.cache import cache

    from lindos.cli.serve import create_server
    from lindos.transport import auth

    # No proof of credentials left over from other tests (same users, same secret).
    cache.clear()
    auth._proven.clear()
    shared = {c.alias: c for c in connections.all()
              if c.vendor == "sqlite" and c.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    handler = WSGIHandler()

    def app(environ, start_response):
        for alias, conn in shared.items():
            connections[alias] = conn
        return handler(environ, start_response)

    srv = create_server(settings.LINDOS, app, "127.0.0.1", 0, threads=1)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            srv.asyncore.loop(timeout=0.05, map=srv._map, count=1)
        srv.task_dispatcher.shutdown()
        srv.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield srv.effective_port
    stop.set()
    thread.join(timeout=10)
    for conn in shared.values():
        conn.dec_thread_sharing()


def basic(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def send_request(port, head: str, body_chunks=(), timeout=20) -> tuple[bytes, int]:
    """Send a request head, then body chunks until the server answers or
    closes; return (the answer, body bytes the server took)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
    sent = 0
    sock.setblocking(False)
    answer = b""
    try:
        for chunk in body_chunks:
            try:
                answer += sock.recv(65536)
                break  # answered before the body was sent
            except BlockingIOError:
                pass
            try:
                sock.setblocking(True)
                sock.settimeout(5)
                sock.sendall(chunk)
                sent += len(chunk)
                sock.setblocking(False)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                break
        sock.setblocking(True)
        sock.settimeout(timeout)
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
            if b"\r\n\r\n" in answer and not answer.startswith(b"HTTP/1.1 100"):
                break
    finally:
        sock.close()
    return answer, sent


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def chunked(total: int, size: int = 64 * 1024):
    for _ in range(total // size):
        yield b"%x\r\n" % size + b"x" * size + b"\r\n"
    yield b"0\r\n\r\n"


@pytest.mark.parametrize("path", ["/_admin/login", "/project/git-upload-pack", "/project/summary",
                                  "/nope"])
def test_declared_big_body_is_refused_before_it_is_sent(server, spooled, path):
    answer, _ = send_request(server, f"POST {path} HTTP/1.1\nHost: 127.0.0.1\n"
                                     f"Content-Type: application/x-www-form-urlencoded\n"
                                     f"Content-Length: {TEN_MB}\n")
    assert status_of(answer) == 413
    assert spooled == []


def test_chunked_big_body_is_cut_off_without_spooling(server, spooled):
    answer, sent = send_request(server, "POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\n"
                                        "Transfer-Encoding: chunked\n", chunked(TEN_MB))
    assert status_of(answer) == 413
    assert spooled == []  # what was read stayed in memory, and only up to the limit
    assert sent < TEN_MB


def test_expect_continue_gets_413_not_100(server, spooled):
    answer, _ = send_request(server, "POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\n"
                                     f"Content-Length: {TEN_MB}\nExpect: 100-continue\n")
    assert answer.startswith(b"HTTP/1.1 413")
    assert spooled == []


def test_push_url_needs_proven_credentials_for_a_big_body(server, spooled, make_repo, make_user):
    alice = make_user("alice", password="alice-pw")
    make_repo("project", owner=alice)
    head = ("POST /project/git-receive-pack HTTP/1.1\nHost: 127.0.0.1\n"
            "Content-Type: application/x-git-receive-pack-request\n"
            f"Content-Length: {TEN_MB}\n")
    # anonymous, wrong password, and an unchecked (if right) password alike
    for auth in ("", f"Authorization: {basic('alice', 'wrong')}\n",
                 f"Authorization: {basic('alice', 'alice-pw')}\n"):
        answer, _ = send_request(server, head + auth)
        assert status_of(answer) == 413, auth
    assert spooled == []
    # once the credentials proved alice (git's info/refs request does it)...
    answer, _ = send_request(server, "GET /project/info/refs?service=git-receive-pack HTTP/1.1\n"
                                     f"Host: 127.0.0.1\nAuthorization: {basic('alice', 'alice-pw')}\n")
    assert status_of(answer) == 200
    # ...the big body is taken (and refused by git as garbage, not for its size)
    body = (b"x" * (1 << 20) for _ in range(3))
    answer, sent = send_request(server, head.replace(str(TEN_MB), str(3 << 20))
                                + f"Authorization: {basic('alice', 'alice-pw')}\n", body)
    assert sent == 3 << 20 and status_of(answer) == 200
    # proven credentials do not lift the limit anywhere but a push
    answer, _ = send_request(server, "POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\n"
                                     f"Authorization: {basic('alice', 'alice-pw')}\n"
                                     f"Content-Length: {TEN_MB}\n")
    assert status_of(answer) == 413


def test_small_form_still_works(server, make_user):
    make_user("carol", password="carol-pw")
    answer, _ = send_request(server, "GET /_admin/login HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n")
    assert status_of(answer) == 200
    body = b"username=carol&password=" + b"p" * 500_000
    answer, _ = send_request(server, "POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\n"
                                     "Content-Type: application/x-www-form-urlencoded\n"
                                     f"Content-Length: {len(body)}\n", [body])
    assert status_of(answer) == 403  # CSRF: read and judged by Django, not refused for size


def test_big_authenticated_push_still_works(server, make_repo, make_user, tmp_path):
    """A 6 MiB pack goes through, over the form limit, with the real git client."""
    make_user("alice", password="alice-pw")
    from lindos.accounts.models import User
    make_repo("project", owner=User.objects.get(username="alice"))
    git = git_client(tmp_path / "home", "Alice", "alice@example.com")
    url = f"http://alice:alice-pw@127.0.0.1:{server}/project"
    work = tmp_path / "work"
    git("init", "-q", "-b", "main", str(work))
    (work / "blob.bin").write_bytes(os.urandom(6 * 1024 * 1024))
    git("add", "blob.bin", cwd=work)
    git("commit", "-q", "-m", "Big file", cwd=work)
    git("push", "-q", url, "main", cwd=work)
    out = git("ls-remote", url, "refs/heads/main").stdout.split()
    assert out[0] == git("rev-parse", "HEAD", cwd=work).stdout.strip()
