"""Body limits in the real server (waitress as ``lindos serve`` builds it),
with raw sockets for what an attacker sends and the real git client for a
big push."""

import base64
import os
import socket

import django
import pytest

django.setup()

from tests.gitclient import git_client  # noqa: E402
from tests.hgclient import hg_client  # noqa: E402
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
    from django.core.cache import cache

    from lindos.cli.serve import create_server
    from lindos.transport import auth
    from tests.threaded_server import threaded_server

    # No proof of credentials left over from other tests (same users, same secret).
    cache.clear()
    auth._proven.clear()
    with threaded_server(lambda app: create_server(settings.LINDOS, app, "127.0.0.1", 0, threads=1)) as srv:
        yield srv.effective_port


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
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
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


@pytest.mark.parametrize("path", ["/_admin/login", "/project/git-upload-pack", "/project/summary", "/nope"])
def test_declared_big_body_is_refused_before_it_is_sent(server, spooled, path):
    answer, _ = send_request(
        server,
        f"POST {path} HTTP/1.1\nHost: 127.0.0.1\n"
        f"Content-Type: application/x-www-form-urlencoded\n"
        f"Content-Length: {TEN_MB}\n",
    )
    assert status_of(answer) == 413
    assert spooled == []


def test_chunked_big_body_is_cut_off_without_spooling(server, spooled):
    answer, sent = send_request(
        server, "POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\nTransfer-Encoding: chunked\n", chunked(TEN_MB)
    )
    assert status_of(answer) == 413
    assert spooled == []  # what was read stayed in memory, and only up to the limit
    assert sent < TEN_MB


def test_expect_continue_gets_413_not_100(server, spooled):
    answer, _ = send_request(
        server,
        f"POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\nContent-Length: {TEN_MB}\nExpect: 100-continue\n",
    )
    assert answer.startswith(b"HTTP/1.1 413")
    assert spooled == []


def test_push_url_needs_proven_credentials_for_a_big_body(server, spooled, make_repo, make_user):
    alice = make_user("alice", password="alice-pw")
    make_repo("project", owner=alice)
    head = (
        "POST /project/git-receive-pack HTTP/1.1\nHost: 127.0.0.1\n"
        "Content-Type: application/x-git-receive-pack-request\n"
        f"Content-Length: {TEN_MB}\n"
    )
    # anonymous: challenged (git and hg then send credentials), not read
    answer, _ = send_request(server, head)
    assert status_of(answer) == 401 and b"www-authenticate: basic" in answer.lower()
    # wrong password, and an unchecked (if right) password alike
    for auth in (
        f"Authorization: {basic('alice', 'wrong')}\n",
        f"Authorization: {basic('alice', 'alice-pw')}\n",
    ):
        answer, _ = send_request(server, head + auth)
        assert status_of(answer) == 413, auth
    assert spooled == []
    # once the credentials proved alice (git's info/refs request does it)...
    answer, _ = send_request(
        server,
        "GET /project/info/refs?service=git-receive-pack HTTP/1.1\n"
        f"Host: 127.0.0.1\nAuthorization: {basic('alice', 'alice-pw')}\n",
    )
    assert status_of(answer) == 200
    # ...the big body is taken (and refused by git as garbage, not for its size)
    body = (b"x" * (1 << 20) for _ in range(3))
    answer, sent = send_request(
        server,
        head.replace(str(TEN_MB), str(3 << 20)) + f"Authorization: {basic('alice', 'alice-pw')}\n",
        body,
    )
    assert sent == 3 << 20 and status_of(answer) == 200
    # proven credentials do not lift the limit anywhere but a push
    answer, _ = send_request(
        server,
        "POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\n"
        f"Authorization: {basic('alice', 'alice-pw')}\n"
        f"Content-Length: {TEN_MB}\n",
    )
    assert status_of(answer) == 413


def test_small_form_still_works(server, make_user):
    make_user("carol", password="carol-pw")
    answer, _ = send_request(server, "GET /_admin/login HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n")
    assert status_of(answer) == 200
    body = b"username=carol&password=" + b"p" * 500_000
    answer, _ = send_request(
        server,
        "POST /_admin/login HTTP/1.1\nHost: 127.0.0.1\n"
        "Content-Type: application/x-www-form-urlencoded\n"
        f"Content-Length: {len(body)}\n",
        [body],
    )
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


def test_big_hg_push_to_a_public_repository(server, make_repo, make_user, tmp_path):
    """hg reads a public repository anonymously: its first credentials come
    with the 2 MiB unbundle itself, after a 401, and the push goes through."""
    from lindos.accounts.models import User

    make_user("alice", password="alice-pw")
    make_repo("public-hg", owner=User.objects.get(username="alice"), kind="hg")
    hg = hg_client(tmp_path / "home", "Alice <alice@example.com>")
    url = f"http://alice:alice-pw@127.0.0.1:{server}/public-hg"
    work = tmp_path / "work"
    hg("clone", "-q", url, str(work))
    (work / "blob.bin").write_bytes(os.urandom(2 * 1024 * 1024))
    hg("add", "blob.bin", cwd=work)
    hg("commit", "-q", "-m", "Big file", cwd=work)
    hg("push", "-q", url, cwd=work)
    assert hg("id", "-r", "tip", url).stdout.split()[0] == hg("id", "-i", cwd=work).stdout.strip()[:12]


@pytest.fixture
def front_end(settings):
    """Container logins on (header ``X-Forwarded-User``); returns a function
    naming the trusted proxy (``[server:main] trusted_proxy``)."""
    import dataclasses

    from lindos.externalauth.current import save_auth_settings
    from lindos.externalauth.models import AuthSettings

    def configure(trusted_proxy, **changes):
        settings.LINDOS = dataclasses.replace(settings.LINDOS, server_proxy={"trusted_proxy": trusted_proxy})
        config = AuthSettings(plugins="internal,container", container_enabled=True)
        for name, value in changes.items():
            setattr(config, name, value)
        save_auth_settings(config)

    return configure


def _container_user(make_repo, name="carol"):
    from lindos.accounts.models import User
    from lindos.externalauth.models import ExternalIdentity

    owner = User.objects.create(username=name, email=f"{name}@example.com")
    ExternalIdentity.objects.create(user=owner, source="container", extern_name=name)
    make_repo("project", owner=owner, private=True)
    return owner


def test_big_container_authenticated_push_from_the_trusted_proxy(
    server, front_end, make_repo, tmp_path, spooled
):
    """The front-end authenticated the pusher and names them in a header
    (git sends it here, as the proxy would add it): a 6 MiB pack goes
    through with the real git client, no credentials."""
    front_end("127.0.0.1")
    _container_user(make_repo)
    git = git_client(tmp_path / "home", "Carol", "carol@example.com")
    header = "http.extraHeader=X-Forwarded-User: carol"
    url = f"http://127.0.0.1:{server}/project"
    work = tmp_path / "work"
    git("init", "-q", "-b", "main", str(work))
    (work / "blob.bin").write_bytes(os.urandom(6 * 1024 * 1024))
    git("add", "blob.bin", cwd=work)
    git("commit", "-q", "-m", "Big file", cwd=work)
    git("-c", header, "push", "-q", url, "main", cwd=work)
    out = git("-c", header, "ls-remote", url, "refs/heads/main").stdout.split()
    assert out[0] == git("rev-parse", "HEAD", cwd=work).stdout.strip()
    assert spooled  # the pack was over the form limit, and taken


@pytest.mark.parametrize(
    "trusted_proxy, auth",
    [
        ("10.0.0.5", {}),  # the header sent directly: this client is not the proxy
        ("*", {}),  # "any proxy" names nobody
        ("", {}),
        ("127.0.0.1", {"container_enabled": False}),  # container logins off
        ("127.0.0.1", {"plugins": "internal"}),
        ("127.0.0.1", {"container_header": "X-Remote-Login", "container_fallback_header": ""}),
    ],
)
def test_a_container_header_lifts_no_limit_unless_the_login_would_believe_it(
    server, front_end, make_repo, tmp_path, spooled, trusted_proxy, auth
):
    front_end(trusted_proxy, **auth)
    _container_user(make_repo)
    head = (
        "POST /project/git-receive-pack HTTP/1.1\nHost: 127.0.0.1\n"
        "Content-Type: application/x-git-receive-pack-request\n"
        f"Content-Length: {TEN_MB}\nX-Forwarded-User: carol\n"
    )
    answer, sent = send_request(server, head, (b"x" * (1 << 20) for _ in range(10)))
    assert status_of(answer) == 401 and sent < TEN_MB  # challenged, the body not taken
    assert spooled == []
    # A real git push over the form limit gets no further than the challenge.
    git = git_client(tmp_path / "home", "Mallory", "mallory@example.com")
    work = tmp_path / "work"
    git("init", "-q", "-b", "main", str(work))
    (work / "blob.bin").write_bytes(os.urandom(2 * 1024 * 1024))
    git("add", "blob.bin", cwd=work)
    git("commit", "-q", "-m", "Big file", cwd=work)
    pushed = git(
        "-c",
        "http.extraHeader=X-Forwarded-User: carol",
        "-c",
        "credential.helper=",
        "push",
        "-q",
        f"http://127.0.0.1:{server}/project",
        "main",
        cwd=work,
        check=False,
    )
    assert pushed.returncode != 0
    assert spooled == []


@pytest.mark.parametrize(
    "value",
    ["", " "],
)
def test_an_empty_or_odd_container_header_from_the_proxy_is_no_login(server, front_end, make_repo, value):
    front_end("127.0.0.1")
    _container_user(make_repo)
    answer, _ = send_request(
        server,
        "POST /project/git-receive-pack HTTP/1.1\nHost: 127.0.0.1\n"
        f"Content-Length: {TEN_MB}\nX-Forwarded-User: {value}\n",
    )
    assert status_of(answer) in (400, 401)


def test_the_proxy_header_lifts_the_limit_on_pushes_only(server, front_end, make_repo, spooled):
    front_end("127.0.0.1")
    _container_user(make_repo)
    for path in ("/_admin/login", "/project/git-upload-pack", "/project/summary"):
        answer, _ = send_request(
            server,
            f"POST {path} HTTP/1.1\nHost: 127.0.0.1\nContent-Length: {TEN_MB}\nX-Forwarded-User: carol\n",
        )
        assert status_of(answer) == 413, path
    assert spooled == []
