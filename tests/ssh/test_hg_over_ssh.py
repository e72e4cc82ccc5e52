"""The real hg client over a real sshd: ``hg -R REPO serve --stdio`` is
Mercurial's own stdio server, behind Lindos's permission check."""

import os
import subprocess

import pytest

from lindos.repos.models import JournalEntry, RepositoryPermission
from lindos.vcs.testing import hg_binary


@pytest.fixture
def hg(tmp_path):
    """The hg client with no user or system configuration."""
    home = tmp_path / "hghome"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HG")}
    env.update(
        {
            "HOME": str(home),
            "HGRCPATH": "",
            "HGPLAIN": "1",
            "LC_ALL": "C",
            "HGUSER": "Tess Ter <tess@example.com>",
        }
    )

    def run(site, key, *args, cwd=None, check=True):
        proc = subprocess.run(
            [
                hg_binary(),
                "--config",
                "ui.interactive=false",
                "--config",
                f"ui.ssh={site.sshd.ssh_command(key)}",
                *args,
            ],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"hg {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        return proc

    return run


def hg_commit(hg_run, site, key, work, message):
    (work / "file.txt").write_text(message + "\n")
    hg_run(site, key, "commit", "-q", "-A", "-m", message, cwd=work)


def test_push_clone_pull(ssh_site, make_user, make_repo, hg, tmp_path):
    alice = make_user("alice")
    repo = make_repo("hgproject", owner=alice, kind="hg")
    key = ssh_site.add_key(alice)
    url = ssh_site.url("hgproject")
    work = tmp_path / "work"
    hg(ssh_site, key, "init", str(work))
    hg_commit(hg, ssh_site, key, work, "first")
    hg(ssh_site, key, "push", url, cwd=work)
    entry = JournalEntry.objects.get(repository=repo, action="push")
    assert entry.user == alice
    assert [c["ref"] for c in entry.ref_changes] == ["refs/heads/default"]

    hg(ssh_site, key, "clone", "-q", url, str(tmp_path / "clone"))
    assert (tmp_path / "clone" / "file.txt").read_text() == "first\n"
    hg_commit(hg, ssh_site, key, work, "second")
    hg(ssh_site, key, "push", url, cwd=work)
    hg(ssh_site, key, "pull", "-q", "-u", cwd=tmp_path / "clone")
    assert (tmp_path / "clone" / "file.txt").read_text() == "second\n"
    assert JournalEntry.objects.filter(repository=repo, action="push").count() == 2


def test_read_only_user_cannot_push_and_strangers_see_nothing(ssh_site, make_user, make_repo, hg, tmp_path):
    owner, reader, stranger = make_user("owner"), make_user("reader"), make_user("stranger")
    repo = make_repo("hgsecret", owner=owner, kind="hg", private=True)
    RepositoryPermission.objects.create(repository=repo, user=reader, permission="read")
    keys = {u.username: ssh_site.add_key(u) for u in (owner, reader, stranger)}
    url = ssh_site.url("hgsecret")
    work = tmp_path / "work"
    hg(ssh_site, keys["owner"], "init", str(work))
    hg_commit(hg, ssh_site, keys["owner"], work, "first")
    hg(ssh_site, keys["owner"], "push", url, cwd=work)

    clone = tmp_path / "r"
    hg(ssh_site, keys["reader"], "clone", "-q", url, str(clone))
    hg_commit(hg, ssh_site, keys["reader"], clone, "mine")
    proc = hg(ssh_site, keys["reader"], "push", url, cwd=clone, check=False)
    assert proc.returncode != 0
    assert (
        "remote: Permission denied: reader may not push to 'hgsecret' (your access is read)."
        in proc.stderr + proc.stdout
    )
    # A bookmark is a push too (pushkey), refused as well.
    proc = hg(ssh_site, keys["reader"], "push", "-B", "nope", url, cwd=clone, check=False)
    assert proc.returncode != 0
    hg(ssh_site, keys["owner"], "pull", "-q", url, cwd=work)
    assert hg(ssh_site, keys["owner"], "log", "-T", "{desc}\n", cwd=work).stdout.split() == ["first"]
    assert JournalEntry.objects.filter(repository=repo, action="push").count() == 1

    for name in ("hgsecret", "nothing-here"):
        proc = hg(ssh_site, keys["stranger"], "clone", ssh_site.url(name), str(tmp_path / name), check=False)
        assert proc.returncode != 0
        assert f"remote: abort: Repository '{name}' not found." in proc.stderr


def test_hg_client_on_a_git_repository(ssh_site, make_user, make_repo, hg, tmp_path):
    alice = make_user("alice")
    make_repo("gitrepo", owner=alice)
    key = ssh_site.add_key(alice)
    proc = hg(ssh_site, key, "clone", ssh_site.url("gitrepo"), str(tmp_path / "c"), check=False)
    assert proc.returncode != 0
    assert "remote: abort: 'gitrepo' is a git repository: use git to reach it." in proc.stderr
