"""The real git client over a real sshd, through ``lindos ssh-serve``."""

import os
import subprocess

import pytest

from lindos.repos.models import JournalEntry, RepositoryPermission
from tests.gitclient import git_client


@pytest.fixture
def git(tmp_path):
    return git_client(tmp_path / "home", "Tess Ter", "tess@example.com")


def commit_and_push(git, site, key, url, work, message="first", branch="main", check=True):
    if not work.exists():
        git("init", "-q", "-b", branch, str(work))
    (work / "file.txt").write_text(message + "\n")
    git("add", "file.txt", cwd=work)
    git("commit", "-q", "-m", message, cwd=work)
    return git("push", url, f"HEAD:refs/heads/{branch}", cwd=work, extra_env=site.env(key), check=check)


def test_push_clone_pull_on_own_repository(ssh_site, make_user, make_repo, git, tmp_path):
    alice = make_user("alice")
    repo = make_repo("project", owner=alice)
    key = ssh_site.add_key(alice)
    url = ssh_site.url("project")
    commit_and_push(git, ssh_site, key, url, tmp_path / "work")
    entry = JournalEntry.objects.get(repository=repo, action="push")
    assert entry.user == alice and entry.ref_changes[0]["ref"] == "refs/heads/main"

    git("clone", "-q", url, str(tmp_path / "clone"), extra_env=ssh_site.env(key))
    assert (tmp_path / "clone" / "file.txt").read_text() == "first\n"

    commit_and_push(git, ssh_site, key, url, tmp_path / "work", message="second")
    git("pull", "-q", "origin", "main", cwd=tmp_path / "clone", extra_env=ssh_site.env(key))
    assert (tmp_path / "clone" / "file.txt").read_text() == "second\n"
    assert JournalEntry.objects.filter(repository=repo, action="push").count() == 2
    from lindos.ssh.models import SshKey

    assert SshKey.objects.get(pk=ssh_site.last_key.pk).last_seen is not None
