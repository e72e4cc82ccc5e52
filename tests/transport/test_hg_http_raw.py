"""Requests the hg client would not send on its own: hgweb's HTML pages,
unknown and malformed wire commands, and a chunked push written by hand.
None of them may get a 500 or one of hgweb's pages."""

import base64
import http.client
import subprocess

import pytest

from lindos.repos.models import JournalEntry
from lindos.vcs import open_repository
from tests.hgclient import hg_client


def basic(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


@pytest.fixture
def hg(tmp_path):
    return hg_client(tmp_path / "home")


@pytest.fixture
def alice(make_user):
    return make_user("alice", password="alice-pw")


@pytest.fixture
def project(make_repo, alice, hg):
    repo = make_repo("project", owner=alice, kind="hg")
    (__import__("pathlib").Path(repo.path) / "a.txt").write_text("a\n")
    hg("commit", "-A", "-m", "one", cwd=repo.path)
    return repo


def test_capabilities(client, project):
    response = client.get("/project?cmd=capabilities")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/mercurial-0.1"
    body = b"".join(response.streaming_content)
    assert b"unbundle=" in body and b"bundle2=" in body and b"batch" in body
    # a trailing slash is the same URL to hg
    assert client.get("/project/?cmd=capabilities").status_code == 200


@pytest.mark.parametrize("cmd", ["changelog", "file", "static", "summary", "nonsense", ""])
def test_hgweb_pages_and_unknown_commands_are_400(client, project, cmd):
    response = client.get(f"/project?cmd={cmd}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.reason_phrase == f"Unknown Mercurial wire command {cmd!r}"
    assert b"<html" not in response.content.lower()


def test_overlong_command_is_400_and_cut(client, project):
    response = client.get("/project?cmd=" + "x" * 10000)
    assert response.status_code == 400
    assert len(response.reason_phrase) < 120


@pytest.mark.parametrize(
    "url", ["/private?cmd=capabilities", "/nope?cmd=capabilities", "/project?cmd=unbundle"]
)
def test_anonymous_gets_the_same_challenge(client, project, make_repo, url):
    make_repo("private", kind="hg", private=True)
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic ")


@pytest.mark.parametrize(
    "query",
    [
        "cmd=batch&cmds=heads",  # no space after the command
        "cmd=batch&cmds=heads+%3Bknown+nodes",  # argument without "="
        "cmd=batch&cmds=nonsense+",  # unknown command in a batch
        "cmd=lookup",  # missing argument
        "cmd=known&nodes=zz",  # not hex
        "cmd=getbundle&heads=12&common=",  # heads of the wrong length
        "cmd=listkeys&namespace=caf%E9",
    ],
)
def test_malformed_commands_get_a_clear_error(client, project, query):
    response = client.get(f"/project?{query}", HTTP_AUTHORIZATION=basic("alice", "alice-pw"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in (200, 400), (response.status_code, body)
    if response.status_code == 400:
        assert response.reason_phrase.startswith("Malformed Mercurial request")
    assert b"Traceback" not in body


def test_put_is_405(client, project):
    response = client.put("/project?cmd=capabilities")
    assert response.status_code == 405


def test_garbage_unbundle_is_refused_by_hg_not_a_500(client, project):
    before = open_repository(project.path).get_changeset("tip").id
    response = client.post(
        "/project?cmd=unbundle&heads=666f726365",
        data=b"HG20garbage" * 100,
        content_type="application/mercurial-0.1",
        HTTP_AUTHORIZATION=basic("alice", "alice-pw"),
    )
    assert response.status_code == 200  # hg's own error answer, in its payload
    assert open_repository(project.path).get_changeset("tip").id == before
    assert not JournalEntry.objects.filter(repository=project, action="push").exists()


def test_chunked_unbundle_is_streamed_to_hg(project, hg, tmp_path, server_url):
    """A push body without Content-Length (as a proxy may send it) arrives whole."""
    work = tmp_path / "work"
    hg("clone", project.path, str(work))
    (work / "b.txt").write_text("b\n" * 50000)
    hg("commit", "-A", "-m", "two", cwd=work)
    bundle = tmp_path / "push.hg"
    hg("bundle", "--type", "v1", "-r", "tip", "--base", "0", str(bundle), cwd=work)
    host, port = server_url.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.putrequest("POST", "/project?cmd=unbundle&heads=666f726365")
    conn.putheader("Authorization", basic("alice", "alice-pw"))
    conn.putheader("Content-Type", "application/mercurial-0.1")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    data = bundle.read_bytes()
    for start in range(0, len(data), 7000):
        piece = data[start : start + 7000]
        conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
    conn.send(b"0\r\n\r\n")
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, body
    assert body.startswith(b"1\n"), body
    assert open_repository(project.path).get_changeset("tip").message == "two"
    assert JournalEntry.objects.filter(repository=project, action="push").exists()
