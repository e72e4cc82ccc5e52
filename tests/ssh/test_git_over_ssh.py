"""The real git client over a real sshd, through ``lindos ssh-serve``."""

import os
import subprocess

import pytest

from lindos.repos.models import JournalEntry, RepositoryPermission
from tests.gitclient import git_client


@pytest.fixture
def git(tmp_path):
    return git_client(tmp_path / "home", "Tess Ter", "tess@example.com")


def key_lines(site) -> list[str]:
    with open(site.authorized_keys) as fh:
        return [line for line in fh if line.startswith('command="')]


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


def test_private_and_read_only_repositories(ssh_site, make_user, make_repo, git, tmp_path):
    owner, reader, stranger = make_user("owner"), make_user("reader"), make_user("stranger")
    private = make_repo("secret", owner=owner, private=True)
    RepositoryPermission.objects.create(repository=private, user=reader, permission="read")
    keys = {u.username: ssh_site.add_key(u) for u in (owner, reader, stranger)}
    url = ssh_site.url("secret")
    commit_and_push(git, ssh_site, keys["owner"], url, tmp_path / "work")

    # The reader clones and pulls, but may not push.
    git("clone", "-q", url, str(tmp_path / "r"), extra_env=ssh_site.env(keys["reader"]))
    assert (tmp_path / "r" / "file.txt").exists()
    refused = commit_and_push(git, ssh_site, keys["reader"], url, tmp_path / "r", message="mine", check=False)
    assert refused.returncode != 0
    assert (
        "abort: Permission denied: reader may not push to 'secret' (your access is read)." in refused.stderr
    )
    assert JournalEntry.objects.filter(repository=private, action="push").count() == 1

    # Someone who may not read it is told it does not exist, as for a name nobody uses.
    for name in ("secret", "no-such-repo"):
        proc = git(
            "clone",
            "-q",
            ssh_site.url(name),
            str(tmp_path / f"s-{name}"),
            extra_env=ssh_site.env(keys["stranger"]),
            check=False,
        )
        assert proc.returncode != 0
        assert f"abort: Repository '{name}' not found." in proc.stderr
        assert "secret" not in proc.stderr.replace(f"'{name}'", "")


def test_public_repository_is_read_only_for_others(ssh_site, make_user, make_repo, git, tmp_path):
    owner, other = make_user("owner"), make_user("other")
    make_repo("open", owner=owner)
    owner_key, other_key = ssh_site.add_key(owner), ssh_site.add_key(other)
    url = ssh_site.url("open")
    commit_and_push(git, ssh_site, owner_key, url, tmp_path / "work")
    git("clone", "-q", url, str(tmp_path / "c"), extra_env=ssh_site.env(other_key))
    proc = commit_and_push(git, ssh_site, other_key, url, tmp_path / "c", message="x", check=False)
    assert proc.returncode != 0 and "may not push to 'open' (your access is read)" in proc.stderr


def test_protocol_v2_reaches_upload_pack(ssh_site, make_user, make_repo, git, tmp_path):
    alice = make_user("alice")
    make_repo("v2", owner=alice)
    key = ssh_site.add_key(alice)
    commit_and_push(git, ssh_site, key, ssh_site.url("v2"), tmp_path / "work")
    env = {**ssh_site.env(key), "GIT_TRACE_PACKET": "1"}
    proc = git("-c", "protocol.version=2", "ls-remote", ssh_site.url("v2"), extra_env=env)
    assert "refs/heads/main" in proc.stdout
    assert "< version 2" in proc.stderr  # the server answered in protocol v2
    proc = git("-c", "protocol.version=0", "ls-remote", ssh_site.url("v2"), extra_env=env)
    assert "refs/heads/main" in proc.stdout and "< version 2" not in proc.stderr


def test_deleted_key_stops_at_once_even_if_the_file_still_lists_it(
    ssh_site, make_user, make_repo, git, tmp_path
):
    from lindos.ssh.models import SshKey

    alice = make_user("alice")
    make_repo("project", owner=alice)
    key = ssh_site.add_key(alice)
    git("ls-remote", ssh_site.url("project"), extra_env=ssh_site.env(key))
    before = open(ssh_site.authorized_keys).read()
    SshKey.objects.filter(user=alice).delete()  # no file rewrite: the database alone decides
    assert open(ssh_site.authorized_keys).read() == before
    proc = git("ls-remote", ssh_site.url("project"), extra_env=ssh_site.env(key), check=False)
    assert proc.returncode != 0
    assert "abort: This SSH key is no longer registered in Lindos." in proc.stderr


def test_key_deleted_on_the_page_leaves_the_file(ssh_site, make_user, make_repo, client):
    from lindos.ssh.models import SshKey

    alice = make_user("alice")
    make_repo("project", owner=alice)
    key = ssh_site.add_key(alice)
    fingerprint = SshKey.objects.get(user=alice).fingerprint
    assert len(key_lines(ssh_site)) == 1
    client.force_login(alice)
    client.post("/_admin/my_account/ssh_keys/delete", {"del_public_key_fingerprint": fingerprint})
    assert key_lines(ssh_site) == []
    proc = ssh_site.ssh(key, "git-upload-pack '/project'")
    assert proc.returncode != 0  # sshd itself no longer accepts the key
    assert b"Permission denied (publickey)" in proc.stderr


def test_inactive_user_is_refused_at_connect(ssh_site, make_user, make_repo, git):
    alice = make_user("alice")
    make_repo("project", owner=alice)
    key = ssh_site.add_key(alice)
    before = open(ssh_site.authorized_keys).read()
    type(alice).objects.filter(pk=alice.pk).update(is_active=False)  # the file is not rewritten
    assert open(ssh_site.authorized_keys).read() == before
    proc = git("ls-remote", ssh_site.url("project"), extra_env=ssh_site.env(key), check=False)
    assert proc.returncode != 0 and "abort: The account alice is disabled." in proc.stderr
    # Deactivating through the model (as the admin pages do) also takes the key out of the file.
    alice.refresh_from_db()
    alice.is_active = False
    alice.save()
    assert key_lines(ssh_site) == []
    alice.is_active = True
    alice.save()
    assert len(key_lines(ssh_site)) == 1


@pytest.mark.parametrize(
    "command, message",
    [
        ("", "interactive logins are disabled"),
        ("bash", "SSH command not supported: 'bash'"),
        ("bash -i", "SSH command not supported"),
        ("/bin/sh -c id", "SSH command not supported"),
        ("git-upload-pack '../../etc'", "abort: Repository '../../etc' not found."),
        ("git-upload-pack '/../../etc/passwd'", "abort: Repository '../../etc/passwd' not found."),
        ("git-upload-pack /project; id", "SSH command not supported"),
        ("git-upload-pack '/project' extra", "SSH command not supported"),
        ("git-upload-archive '/project'", "SSH command not supported"),
        ("git upload-pack '/project'", "SSH command not supported"),
        ("hg -R x serve --debugger", "SSH command not supported"),
        ("hg -R project serve --stdio --config hooks.pre-serve=id", "SSH command not supported"),
        ("hg --config ui.x=1 -R project serve --stdio", "SSH command not supported"),
        ("git-upload-pack '/proj\"ect'", "abort: Repository 'proj\"ect' not found."),
        ("git-upload-pack 'proj\nect'", "abort: Repository 'proj?ect' not found."),
        ("git-upload-pack 'unclosed", "No closing quotation"),
    ],
)
def test_anything_else_is_refused_with_one_line(ssh_site, make_user, make_repo, command, message):
    alice = make_user("alice")
    make_repo("project", owner=alice)
    key = ssh_site.add_key(alice)
    proc = ssh_site.ssh(key, command)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == b""
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("abort: ") and message in lines[0], lines


def test_junk_command_of_8_kb(ssh_site, make_user):
    key = ssh_site.add_key(make_user("alice"))
    proc = ssh_site.ssh(key, "x" * 8192)
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.decode().count("\n") == 1 and proc.stderr.startswith(
        b"abort: SSH command not supported"
    )
    assert len(proc.stderr) < 300


def test_no_shell_and_no_pty(ssh_site, make_user):
    key = ssh_site.add_key(make_user("alice"))
    login = [*ssh_site.sshd.ssh_command(key).split(), f"{ssh_site.sshd.user}@127.0.0.1"]
    proc = subprocess.run(login, input=b"id\nexit\n", capture_output=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (1, b"")
    assert proc.stderr == (
        b"abort: This account only serves git and hg repositories; interactive logins are disabled.\n"
    )
    # Insisting on a terminal (-tt) gets none: ssh gives up.
    proc = subprocess.run(
        login[:1] + ["-tt"] + login[1:], input=b"id\nexit\n", capture_output=True, timeout=60
    )
    assert proc.returncode == 255 and b"uid=" not in proc.stdout + proc.stderr
    assert b"PTY allocation request failed" in proc.stderr


def test_no_port_forwarding(ssh_site, make_user):
    key = ssh_site.add_key(make_user("alice"))
    argv = [
        *ssh_site.sshd.ssh_command(key).split(),
        "-N",
        "-o",
        "ExitOnForwardFailure=yes",
        "-R",
        "0:127.0.0.1:9",
        f"{ssh_site.sshd.user}@127.0.0.1",
    ]
    proc = subprocess.run(argv, capture_output=True, timeout=60)
    assert proc.returncode == 255
    assert b"remote port forwarding failed" in proc.stderr


def test_git_upload_pack_of_a_hg_repository(ssh_site, make_user, make_repo):
    alice = make_user("alice")
    make_repo("hgrepo", owner=alice, kind="hg")
    key = ssh_site.add_key(alice)
    proc = ssh_site.ssh(key, "git-upload-pack '/hgrepo'")
    assert proc.returncode == 1
    assert proc.stderr.decode() == "abort: 'hgrepo' is a Mercurial repository: use hg to reach it.\n"
