"""The real hg client against Lindos served by waitress: clone, pull and
push over HTTP with and without permission, as a user would see them."""

import os
from urllib.parse import quote

import pytest

from lindos.repos.actions import do_set_permission
from lindos.repos.models import JournalEntry
from lindos.repos.signals import repository_pushed
from lindos.vcs import open_repository
from tests.hgclient import hg_client


def url_for(server_url, name, user=None, secret=None):
    host = server_url.split("//", 1)[1]
    auth = f"{quote(user)}:{quote(secret)}@" if user else ""
    return f"http://{auth}{host}/{name}"


@pytest.fixture
def hg(tmp_path):
    return hg_client(tmp_path / "home")


@pytest.fixture
def alice(make_user):
    return make_user("alice", password="alice-pw")


@pytest.fixture
def bob(make_user):
    return make_user("bob", password="bob-pw")


def commit(hg, work, name, content, message=None, **kw):
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    hg("commit", "-A", "-m", message or f"change {name}", cwd=work, **kw)


@pytest.fixture
def seeded(make_repo, alice, hg, tmp_path, server_url):
    """A public hg repository owned by alice with one changeset, pushed over HTTP."""
    repo = make_repo("project", owner=alice, kind="hg")
    work = tmp_path / "seed"
    hg("init", str(work))
    commit(hg, work, "README.md", "# Project\n", "First changeset")
    hg("push", url_for(server_url, "project", "alice", "alice-pw"), cwd=work)
    return repo


def tip_of(repo):
    return open_repository(repo.path).get_changeset("tip").id


# -- reading --------------------------------------------------------------------


def test_anonymous_clone_of_public_repo(seeded, hg, tmp_path, server_url):
    hg("clone", url_for(server_url, "project"), str(tmp_path / "anon"))
    assert (tmp_path / "anon" / "README.md").read_text() == "# Project\n"


def test_clone_with_password_and_with_api_key(seeded, hg, tmp_path, server_url, alice):
    seeded.private = True
    seeded.save()
    hg("clone", url_for(server_url, "project", "alice", "alice-pw"), str(tmp_path / "pw"))
    hg("clone", url_for(server_url, "project", "alice", alice.api_key), str(tmp_path / "key"))
    assert (tmp_path / "pw" / "README.md").exists() and (tmp_path / "key" / "README.md").exists()


def test_private_repo_asks_anonymous_for_credentials(seeded, hg, tmp_path, server_url):
    seeded.private = True
    seeded.save()
    proc = hg("clone", url_for(server_url, "project"), str(tmp_path / "x"), check=False)
    assert proc.returncode == 255
    assert proc.stderr.strip().endswith(f"http authorization required for {url_for(server_url, 'project')}")
    assert not (tmp_path / "x").exists()


def test_private_repo_is_404_to_other_users(seeded, bob, hg, tmp_path, server_url):
    seeded.private = True
    seeded.save()
    proc = hg("clone", url_for(server_url, "project", "bob", "bob-pw"), str(tmp_path / "x"), check=False)
    assert proc.returncode == 255
    assert proc.stderr == "abort: HTTP Error 404: Repository 'project' not found\n"
    # the same answer as a name that does not exist
    proc2 = hg(
        "clone", url_for(server_url, "nothing-here", "bob", "bob-pw"), str(tmp_path / "y"), check=False
    )
    assert proc2.stderr == "abort: HTTP Error 404: Repository 'nothing-here' not found\n"


def test_wrong_password_is_refused(seeded, hg, tmp_path, server_url):
    seeded.private = True  # (hg sends credentials only when asked for them)
    seeded.save()
    proc = hg("clone", url_for(server_url, "project", "alice", "wrong"), str(tmp_path / "x"), check=False)
    assert proc.returncode == 255
    assert proc.stderr == "abort: authorization failed\n"


def test_git_repo_is_not_served_to_hg(make_repo, alice, hg, tmp_path, server_url):
    make_repo("gitrepo", owner=alice, kind="git")
    proc = hg("clone", url_for(server_url, "gitrepo"), str(tmp_path / "x"), check=False)
    assert proc.stderr == ("abort: HTTP Error 404: 'gitrepo' is a git repository, not a Mercurial one\n")


def test_pull_brings_new_changesets(seeded, hg, tmp_path, server_url):
    hg("clone", url_for(server_url, "project"), str(tmp_path / "reader"))
    work = tmp_path / "writer"
    hg("clone", url_for(server_url, "project"), str(work))
    for number in range(3):
        commit(hg, work, f"f{number}.txt", f"{number}\n")
    hg("push", url_for(server_url, "project", "alice", "alice-pw"), cwd=work)
    proc = hg("pull", "-u", cwd=tmp_path / "reader")
    assert "added 3 changesets" in proc.stdout
    assert (tmp_path / "reader" / "f2.txt").read_text() == "2\n"


# -- pushing --------------------------------------------------------------------


def test_push_is_journaled_and_announced(seeded, alice, hg, tmp_path, server_url):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    repository_pushed.connect(receiver)
    try:
        work = tmp_path / "work"
        hg("clone", url_for(server_url, "project"), str(work))
        old = tip_of(seeded)
        commit(hg, work, "b.txt", "b\n")
        hg("push", url_for(server_url, "project", "alice", alice.api_key), cwd=work)
    finally:
        repository_pushed.disconnect(receiver)
    new = tip_of(seeded)
    entry = JournalEntry.objects.filter(repository=seeded, action="push").first()
    assert entry.user == alice
    assert entry.ref_changes[0] == {"ref": "refs/heads/default", "old": old, "new": new}
    assert [(c.ref, c.old, c.new) for c in received[-1]["ref_changes"]] == [("refs/heads/default", old, new)]
    assert received[-1]["user_id"] == alice.pk


def test_push_without_write_permission_gets_one_line(seeded, bob, hg, tmp_path, server_url):
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    commit(hg, work, "b.txt", "b\n")
    before = tip_of(seeded)
    proc = hg("push", url_for(server_url, "project", "bob", "bob-pw"), cwd=work, check=False)
    assert proc.returncode == 255
    assert proc.stderr == (
        "abort: HTTP Error 403: Permission denied: bob may not push to 'project' (your access is read).\n"
    )
    assert tip_of(seeded) == before


def test_anonymous_push_is_asked_for_credentials(seeded, hg, tmp_path, server_url):
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    commit(hg, work, "b.txt", "b\n")
    proc = hg("push", cwd=work, check=False)
    assert proc.returncode == 255
    assert "http authorization required" in proc.stderr
    assert JournalEntry.objects.filter(repository=seeded, action="push").count() == 1


def test_granted_write_permission_allows_push(seeded, alice, bob, hg, tmp_path, server_url):
    do_set_permission(seeded, bob, "write")
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    commit(hg, work, "b.txt", "b\n")
    hg("push", url_for(server_url, "project", "bob", "bob-pw"), cwd=work)
    assert JournalEntry.objects.filter(repository=seeded, action="push").first().user == bob


def test_read_only_user_of_private_repo_can_pull_not_push(seeded, alice, bob, hg, tmp_path, server_url):
    seeded.private = True
    seeded.save()
    do_set_permission(seeded, bob, "read")
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project", "bob", "bob-pw"), str(work))
    commit(hg, work, "b.txt", "b\n")
    proc = hg("push", url_for(server_url, "project", "bob", "bob-pw"), cwd=work, check=False)
    assert proc.stderr == (
        "abort: HTTP Error 403: Permission denied: bob may not push to 'project' (your access is read).\n"
    )


def test_push_to_empty_repository_over_api_key(make_repo, alice, hg, tmp_path, server_url):
    repo = make_repo("fresh", owner=alice, kind="hg", private=True)
    work = tmp_path / "work"
    hg("init", str(work))
    commit(hg, work, "x.txt", "x\n")
    hg("push", url_for(server_url, "fresh", "alice", alice.api_key), cwd=work)
    assert open_repository(repo.path).get_changeset("tip").message == "change x.txt"


# -- hg's own semantics ----------------------------------------------------------


def test_bookmarks_travel_and_are_journaled(seeded, alice, hg, tmp_path, server_url):
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    commit(hg, work, "b.txt", "b\n")
    hg("bookmark", "feature-x", cwd=work)
    hg("push", "-B", "feature-x", url_for(server_url, "project", "alice", "alice-pw"), cwd=work)
    assert open_repository(seeded.path).bookmarks == {"feature-x": tip_of(seeded)}
    entry = JournalEntry.objects.filter(repository=seeded, action="push").first()
    refs = {c["ref"] for c in entry.ref_changes}
    assert refs == {"refs/heads/default", "refs/bookmarks/feature-x"}
    other = tmp_path / "other"
    hg("clone", url_for(server_url, "project"), str(other))
    assert "feature-x" in hg("bookmarks", cwd=other).stdout


def test_named_branches_travel(seeded, alice, hg, tmp_path, server_url):
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    hg("branch", "stable", cwd=work)
    commit(hg, work, "s.txt", "s\n")
    hg("push", "--new-branch", url_for(server_url, "project", "alice", "alice-pw"), cwd=work)
    assert "stable" in open_repository(seeded.path).branches
    entry = JournalEntry.objects.filter(repository=seeded, action="push").first()
    assert [c["ref"] for c in entry.ref_changes] == ["refs/heads/stable"]
    assert entry.ref_changes[0]["old"] == "0" * 40


def test_pushed_changesets_become_public(seeded, alice, hg, tmp_path, server_url):
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    commit(hg, work, "b.txt", "b\n")
    assert hg("log", "-r", ".", "-T", "{phase}", cwd=work).stdout == "draft"
    hg("push", url_for(server_url, "project", "alice", "alice-pw"), cwd=work)
    assert hg("log", "-r", ".", "-T", "{phase}", cwd=work).stdout == "public"


def test_secret_changesets_are_never_served(seeded, hg, tmp_path, server_url):
    server = seeded.path
    hg("update", "-R", server, "default")
    commit(hg, __import__("pathlib").Path(server), "secret.txt", "hidden\n", "Secret work", extra_env=None)
    hg("phase", "-R", server, "--secret", "--force", "-r", "tip")
    proc = hg("clone", url_for(server_url, "project"), str(tmp_path / "c"))
    assert "added 1 changesets" in proc.stdout
    assert not (tmp_path / "c" / "secret.txt").exists()
    assert "Secret work" not in hg("log", cwd=tmp_path / "c").stdout


def test_non_utf8_file_names_and_messages(seeded, alice, hg, tmp_path, server_url, client):
    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    name = os.fsdecode(b"caf\xe9.txt")
    commit(hg, work, name, b"latin-1 \xe9\n", "a Latin-1 file name")
    hg(
        "commit",
        "--config",
        "ui.allowemptycommit=true",
        "-m",
        os.fsdecode(b"Caf\xe9 message"),
        cwd=work,
        extra_env={"HGENCODING": "latin-1"},
    )
    hg("branch", "--force", os.fsdecode(b"br\xe4nch"), cwd=work, extra_env={"HGENCODING": "latin-1"})
    commit(hg, work, "z.txt", "z\n", extra_env={"HGENCODING": "latin-1"})
    hg(
        "push",
        "--new-branch",
        url_for(server_url, "project", "alice", "alice-pw"),
        cwd=work,
        extra_env={"HGENCODING": "latin-1"},
    )
    clone = tmp_path / "clone"
    hg("clone", url_for(server_url, "project"), str(clone))
    assert (clone / name).read_bytes() == b"latin-1 \xe9\n"
    log = hg("log", "-T", "{desc}\n", cwd=clone, text=False, extra_env={"HGENCODING": "latin-1"}).stdout
    assert b"Caf\xe9 message" in log
    assert client.get("/project/changelog").status_code == 200
    assert client.get("/project/files/tip/").status_code == 200
    assert client.get("/project/summary").status_code == 200


def test_largefiles_travel(seeded, alice, hg, tmp_path, server_url):
    work = tmp_path / "work"
    large = ["--config", "extensions.largefiles="]
    hg(*large, "clone", url_for(server_url, "project"), str(work))
    (work / "big.bin").write_bytes(b"\x00large" * 1000)
    hg(*large, "add", "--large", "big.bin", cwd=work)
    hg(*large, "commit", "-m", "a large file", cwd=work)
    hg(*large, "push", url_for(server_url, "project", "alice", "alice-pw"), cwd=work)
    clone = tmp_path / "clone"
    hg(*large, "clone", url_for(server_url, "project"), str(clone))
    assert (clone / "big.bin").read_bytes() == b"\x00large" * 1000


def test_push_to_a_locked_repository_gets_one_line(seeded, alice, hg, tmp_path, server_url, monkeypatch):
    import socket
    import subprocess
    import sys

    from lindos.transport import hg_serve

    monkeypatch.setattr(hg_serve, "LOCK_TIMEOUT", 1)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = os.path.join(seeded.path, ".hg", "store", "lock")
        os.symlink(f"{socket.gethostname()}:{holder.pid}", lock)
        work = tmp_path / "work"
        hg("clone", url_for(server_url, "project"), str(work))
        commit(hg, work, "b.txt", "b\n")
        proc = hg("push", url_for(server_url, "project", "alice", "alice-pw"), cwd=work, check=False)
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 255
    assert proc.stderr == (
        "abort: HTTP Error 503: The repository is locked by another operation; try again in a moment\n"
    )


@pytest.mark.parametrize("kind", ["branch", "bookmark"])
def test_push_gives_pull_requests_their_next_iteration(seeded, alice, hg, tmp_path, server_url, kind):
    from lindos.review.actions.pull_requests import do_create_pull_request

    work = tmp_path / "work"
    hg("clone", url_for(server_url, "project"), str(work))
    push_url = url_for(server_url, "project", "alice", "alice-pw")
    if kind == "branch":
        hg("branch", "feature", cwd=work)
        commit(hg, work, "f1.txt", "1\n")
        hg("push", "--new-branch", push_url, cwd=work)
    else:
        hg("bookmark", "main", cwd=work)
        hg("push", "-B", "main", push_url, cwd=work, check=False)  # 1: no changesets
        assert "main" in open_repository(seeded.path).bookmarks
        hg("bookmark", "feature", cwd=work)
        commit(hg, work, "f1.txt", "1\n")
        hg("push", "-B", "feature", push_url, cwd=work)
    target = "default" if kind == "branch" else "main"
    pr = do_create_pull_request(
        owner=alice,
        source_repo=seeded,
        source_ref_kind=kind,
        source_ref="feature",
        target_repo=seeded,
        target_branch=target,
        title="Feature",
    )
    assert pr.latest_iteration().number == 1
    commit(hg, work, "f2.txt", "2\n")
    hg("push", push_url, *(["-B", "feature"] if kind == "bookmark" else []), cwd=work)
    latest = pr.latest_iteration()
    assert latest.number == 2
    assert latest.source_rev == open_repository(seeded.path).get_changeset("feature").id
    assert len(latest.revisions) == 2


def test_brute_force_over_hg_is_throttled(seeded, hg, tmp_path, server_url):
    """Wrong passwords over hg Basic auth count as over git: from the
    eleventh, hg is answered 429 before the password is checked, even the
    right one, from that address."""
    seeded.private = True
    seeded.save()
    answers = [
        hg("identify", url_for(server_url, "project", "alice", f"guess{n}"), check=False) for n in range(12)
    ]
    assert all(p.returncode != 0 for p in answers)
    assert all("HTTP Error 429" not in p.stderr for p in answers[:10])
    assert all("HTTP Error 429" in p.stderr for p in answers[10:]), answers[10].stderr
    right = hg("identify", url_for(server_url, "project", "alice", "alice-pw"), check=False)
    assert right.returncode != 0 and "HTTP Error 429" in right.stderr
