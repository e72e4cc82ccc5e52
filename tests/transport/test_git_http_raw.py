"""Requests git itself would not send on its own: a push cut off half-way,
and a gzip-encoded, chunked fetch request, written byte by byte."""

import base64
import gzip
import http.client
import socket
import subprocess

import pytest

from lindos.repos.models import JournalEntry
from lindos.transport.pktline import FLUSH, pkt_line
from tests.transport.test_git_http import alice, seeded, url_for  # noqa: F401


def basic(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


@pytest.fixture
def next_commit(seeded, git, tmp_path, server_url):
    """A commit on top of main that the server does not have, and its pack."""
    work = tmp_path / "next"
    git("clone", "-q", url_for(server_url, "project"), str(work))
    old = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    (work / "data.txt").write_text("".join(f"line {i}\n" for i in range(20000)))
    git("add", "data.txt", cwd=work)
    git("commit", "-q", "-m", "More data", cwd=work)
    new = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    pack = subprocess.run(
        ["git", "pack-objects", "--stdout", "--revs", "-q"],
        cwd=work,
        input=f"{new}\n^{old}\n".encode(),
        capture_output=True,
        check=True,
    ).stdout
    return old, new, pack


def push_request(old, new, pack):
    return pkt_line(f"{old} {new} refs/heads/main\0report-status agent=test\n".encode()) + FLUSH + pack


def assert_intact(git, seeded, old):
    path = seeded.path
    assert (
        subprocess.run(
            ["git", "--git-dir", path, "rev-parse", "refs/heads/main"], capture_output=True, text=True
        ).stdout.strip()
        == old
    )
    fsck = subprocess.run(["git", "--git-dir", path, "fsck", "--strict"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stderr
    assert (
        not JournalEntry.objects.filter(repository=seeded, action="push")
        .exclude(ref_changes__0__new=old)
        .exists()
    )


def test_push_with_truncated_pack_leaves_repository_intact(next_commit, seeded, git, server_url, alice):
    old, new, pack = next_commit
    body = push_request(old, new, pack[: len(pack) // 2])
    conn = http.client.HTTPConnection(server_url.split("//")[1], timeout=60)
    conn.request(
        "POST",
        "/project/git-receive-pack",
        body=body,
        headers={
            "Content-Type": "application/x-git-receive-pack-request",
            "Authorization": basic("alice", "alice-pw"),
        },
    )
    response = conn.getresponse()
    report = response.read()
    assert response.status == 200
    assert b"unpack " in report and b"unpack ok" not in report
    assert_intact(git, seeded, old)
    # the same push, complete, goes through afterwards
    conn.request(
        "POST",
        "/project/git-receive-pack",
        body=push_request(old, new, pack),
        headers={
            "Content-Type": "application/x-git-receive-pack-request",
            "Authorization": basic("alice", "alice-pw"),
        },
    )
    report = conn.getresponse().read()
    assert b"unpack ok" in report and b"ok refs/heads/main" in report
    assert JournalEntry.objects.filter(repository=seeded, action="push").first().ref_changes == [
        {"ref": "refs/heads/main", "old": old, "new": new}
    ]


def test_push_cut_off_by_the_client_leaves_repository_intact(next_commit, seeded, git, server_url):
    old, new, pack = next_commit
    body = push_request(old, new, pack)
    host, port = server_url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            b"POST /project/git-receive-pack HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-git-receive-pack-request\r\n"
            + f"Authorization: {basic('alice', 'alice-pw')}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body[: len(body) // 2]
        )
    git("ls-remote", url_for(server_url, "project"))  # the server (one thread) is done with it
    assert_intact(git, seeded, old)


def test_gzipped_chunked_protocol_v2_request(seeded, git, server_url):
    request = pkt_line(b"command=ls-refs\n") + b"0001" + pkt_line(b"peel\n") + FLUSH
    compressed = gzip.compress(request)
    conn = http.client.HTTPConnection(server_url.split("//")[1], timeout=60)
    conn.request(
        "POST",
        "/project/git-upload-pack",
        body=iter([compressed[:10], compressed[10:]]),
        encode_chunked=True,
        headers={
            "Content-Type": "application/x-git-upload-pack-request",
            "Content-Encoding": "gzip",
            "Git-Protocol": "version=2",
        },
    )
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/x-git-upload-pack-result"
    assert response.getheader("Cache-Control") == "no-cache, max-age=0, must-revalidate"
    body = response.read()
    assert b" refs/heads/main" in body and body.endswith(FLUSH)


def test_ref_advertisement_is_never_cached(seeded, server_url):
    conn = http.client.HTTPConnection(server_url.split("//")[1], timeout=60)
    conn.request("GET", "/project/info/refs?service=git-upload-pack")
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/x-git-upload-pack-advertisement"
    assert (
        response.getheader("Cache-Control"),
        response.getheader("Pragma"),
        response.getheader("Expires"),
    ) == ("no-cache, max-age=0, must-revalidate", "no-cache", "Fri, 01 Jan 1980 00:00:00 GMT")
    response.read()
