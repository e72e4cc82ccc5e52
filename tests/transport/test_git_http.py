"""The real git client against Lindos served by waitress: clone, fetch and
push with and without permission, as a user would see them."""

import os
import subprocess
from urllib.parse import quote

import pytest

from lindos.repos.actions import do_set_permission
from lindos.repos.models import JournalEntry
from lindos.repos.signals import repository_pushed


def url_for(server_url, name, user=None, secret=None):
    host = server_url.split("//", 1)[1]
    auth = f"{quote(user)}:{quote(secret)}@" if user else ""
    return f"http://{auth}{host}/{name}"


@pytest.fixture
def alice(make_user):
    return make_user("alice", password="alice-pw")


@pytest.fixture
def bob(make_user):
    return make_user("bob", password="bob-pw")


@pytest.fixture
def seeded(make_repo, alice, git, tmp_path, server_url):
    """A public repository owned by alice with one commit on main, pushed over HTTP."""
    repo = make_repo("project", owner=alice)
    work = tmp_path / "seed"
    git("init", "-q", "-b", "main", str(work))
    (work / "README.md").write_text("# Project\n")
    git("add", "README.md", cwd=work)
    git("commit", "-q", "-m", "First commit", cwd=work)
    git("push", "-q", url_for(server_url, "project", "alice", "alice-pw"), "main", cwd=work)
    return repo


def head_of(git, url, ref="refs/heads/main"):
    out = git("ls-remote", url, ref).stdout.split()
    return out[0] if out else None


def test_anonymous_clone_of_public_repo(seeded, git, tmp_path, server_url):
    git("clone", "-q", url_for(server_url, "project"), str(tmp_path / "anon"))
    assert (tmp_path / "anon" / "README.md").read_text() == "# Project\n"


def test_clone_with_password_and_with_api_key(seeded, git, tmp_path, server_url, alice):
    seeded.private = True
    seeded.save()
    git("clone", "-q", url_for(server_url, "project", "alice", "alice-pw"), str(tmp_path / "pw"))
    git("clone", "-q", url_for(server_url, "project", "alice", alice.api_key), str(tmp_path / "key"))
    assert (tmp_path / "pw" / "README.md").exists() and (tmp_path / "key" / "README.md").exists()


def test_wrong_password_is_refused(seeded, git, tmp_path, server_url):
    seeded.private = True  # (git sends credentials only when asked for them)
    seeded.save()
    proc = git("clone", url_for(server_url, "project", "alice", "wrong"), str(tmp_path / "x"), check=False)
    assert proc.returncode != 0
    assert "Authentication failed" in proc.stderr


def test_dot_git_suffix(seeded, git, tmp_path, server_url):
    git("clone", "-q", url_for(server_url, "project.git"), str(tmp_path / "suffix"))
    assert (tmp_path / "suffix" / "README.md").exists()


def test_protocol_v2(seeded, git, server_url):
    proc = git(
        "-c",
        "protocol.version=2",
        "ls-remote",
        url_for(server_url, "project"),
        extra_env={"GIT_TRACE_PACKET": "1"},
    )
    assert "refs/heads/main" in proc.stdout
    assert "git< version 2" in proc.stderr
    # and a v2 fetch, not only ls-refs
    proc = git(
        "-c", "protocol.version=2", "clone", "-q", url_for(server_url, "project"), str(git.home / "v2clone")
    )


def test_push_new_branch_is_journaled_and_signalled(seeded, git, tmp_path, server_url, bob):
    do_set_permission(seeded, bob, "write")
    url = url_for(server_url, "project", "bob", bob.api_key)
    work = tmp_path / "bobwork"
    git("clone", "-q", url, str(work))
    old_main = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    git("checkout", "-q", "-b", "feature", cwd=work)
    (work / "feature.txt").write_text("new\n")
    git("add", "feature.txt", cwd=work)
    git("commit", "-q", "-m", "Add feature", cwd=work)
    new = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    repository_pushed.connect(listener)
    try:
        proc = git("push", url, "feature", cwd=work)
    finally:
        repository_pushed.disconnect(listener)
    assert "[new branch]" in proc.stderr
    assert head_of(git, url_for(server_url, "project"), "refs/heads/feature") == new
    entry = JournalEntry.objects.filter(repository=seeded, action="push").first()
    assert entry.user == bob
    assert entry.ref_changes == [{"ref": "refs/heads/feature", "old": "0" * 40, "new": new}]
    assert received and received[0]["repository_id"] == seeded.pk and received[0]["user_id"] == bob.pk
    assert [tuple(c) for c in received[0]["ref_changes"]] == [("refs/heads/feature", "0" * 40, new)]
    assert old_main == head_of(git, url_for(server_url, "project"))


def test_push_without_write_permission_is_refused_with_a_clear_message(
    seeded, git, tmp_path, server_url, bob
):
    work = tmp_path / "bobwork"
    url = url_for(server_url, "project", "bob", "bob-pw")
    git("clone", "-q", url, str(work))
    (work / "x.txt").write_text("x\n")
    git("add", "x.txt", cwd=work)
    git("commit", "-q", "-m", "x", cwd=work)
    before = head_of(git, url)
    proc = git("push", url, "main", cwd=work, check=False)
    assert proc.returncode != 0
    assert "remote: Permission denied: bob may not push to 'project'" in proc.stderr
    assert head_of(git, url) == before
    # anonymous: git is asked for credentials (and, without a terminal, cannot give them)
    proc = git("push", url_for(server_url, "project"), "main", cwd=work, check=False)
    assert proc.returncode != 0 and "could not read Username" in proc.stderr
    assert not JournalEntry.objects.filter(repository=seeded, action="push", user=bob).exists()


def test_private_repo_refused_to_strangers(seeded, git, tmp_path, server_url, bob, client):
    seeded.private = True
    seeded.default_permission = "none"
    seeded.save()
    proc = git("clone", url_for(server_url, "project"), str(tmp_path / "anon"), check=False)
    assert proc.returncode != 0 and "could not read Username" in proc.stderr
    proc = git("clone", url_for(server_url, "project", "bob", "bob-pw"), str(tmp_path / "bob"), check=False)
    assert proc.returncode != 0
    assert "remote: Repository 'project' not found" in proc.stderr
    # the same answer as for a repository that does not exist
    proc = git(
        "clone", url_for(server_url, "nothing-here", "bob", "bob-pw"), str(tmp_path / "n"), check=False
    )
    assert "remote: Repository 'nothing-here' not found" in proc.stderr
    # and its pages are 404, not 403
    client.force_login(bob)
    assert client.get("/project/settings").status_code == 404
    assert client.get("/project/forks").status_code == 404
    # once granted read, bob can clone
    do_set_permission(seeded, bob, "read")
    git("clone", "-q", url_for(server_url, "project", "bob", "bob-pw"), str(tmp_path / "bob2"))


def test_large_push_streams_through_chunked_upload(seeded, git, tmp_path, server_url, alice):
    """Over http.postBuffer (1 MiB) git sends the pack with chunked encoding."""
    url = url_for(server_url, "project", "alice", "alice-pw")
    work = tmp_path / "big"
    git("clone", "-q", url, str(work))
    (work / "blob.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    git("add", "blob.bin", cwd=work)
    git("commit", "-q", "-m", "Big file", cwd=work)
    proc = git(
        "push", url, "main", cwd=work, extra_env={"GIT_TRACE_CURL": "1", "GIT_TRACE_CURL_NO_DATA": "1"}
    )
    assert "Transfer-Encoding: chunked" in proc.stderr
    assert head_of(git, url) == git("rev-parse", "HEAD", cwd=work).stdout.strip()
    git("clone", "-q", url_for(server_url, "project"), str(tmp_path / "big2"))
    assert (tmp_path / "big2" / "blob.bin").stat().st_size == 3 * 1024 * 1024


def test_browser_requests_are_not_transport(seeded, client):
    assert client.get("/project/info/refs").status_code == 404  # no ?service=: not git
    assert client.get("/project/git-upload-pack").status_code == 405
    response = client.post("/project/git-upload-pack", data=b"0000", content_type="text/plain")
    assert response.status_code == 415


def test_brute_force_over_git_is_throttled_and_says_so(seeded, git, tmp_path, server_url, caplog):
    """Hardening issue, item 5: wrong passwords over git Basic auth went
    through without limit.  Now the eleventh try from one address is refused
    before the password is checked, with a 429 git shows, and a log line."""
    seeded.private = True  # (git sends credentials only when asked for them)
    seeded.save()
    answers = [
        git("ls-remote", url_for(server_url, "project", "alice", f"guess{n}"), check=False) for n in range(14)
    ]
    assert all(p.returncode != 0 for p in answers)
    assert all("Authentication failed" in p.stderr for p in answers[:10])
    assert all("The requested URL returned error: 429" in p.stderr for p in answers[10:]), answers[10].stderr
    right = git("ls-remote", url_for(server_url, "project", "alice", "alice-pw"), check=False)
    assert right.returncode != 0 and "429" in right.stderr
    assert any(
        r.levelname == "WARNING"
        and r.getMessage()
        == "login throttled: 10 failures in 900 s (pair limit): "
        "channel=git username='alice' address=127.0.0.1"
        for r in caplog.records
    )
