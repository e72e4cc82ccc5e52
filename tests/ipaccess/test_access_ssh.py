"""SSH: the address is the first word of SSH_CONNECTION, set by a real sshd."""

import os
import subprocess

import pytest

from lindos.ipaccess.actions import do_add_network
from tests.gitclient import git_client
from tests.ssh.conftest import LINDOS_PROGRAM, ssh_site, write_site_ini  # noqa: F401


@pytest.fixture
def git(tmp_path):
    return git_client(tmp_path / "home", "Tess Ter", "tess@example.com")


def test_git_and_hg_over_a_real_sshd(ssh_site, make_user, make_repo, git, tmp_path):  # noqa: F811
    alice = make_user("alice")
    make_repo("project", owner=alice)
    make_repo("hgproject", owner=alice, kind="hg")
    key = ssh_site.add_key(alice)
    do_add_network(alice, "10.0.0.0/8")
    proc = git(
        "clone", ssh_site.url("project"), str(tmp_path / "x"), extra_env=ssh_site.env(key), check=False
    )
    assert proc.returncode != 0
    assert (
        "abort: Access for alice from 127.0.0.1 is not allowed: "
        "the address is not in the account's allowed networks." in proc.stderr
    )
    assert not (tmp_path / "x").exists()
    proc = ssh_site.ssh(key, "hg -R hgproject serve --stdio", stdin=b"hello\n")
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.decode().strip().endswith("is not in the account's allowed networks.")
    do_add_network(alice, "127.0.0.0/8")
    git("clone", "-q", ssh_site.url("project"), str(tmp_path / "ok"), extra_env=ssh_site.env(key))
    assert (tmp_path / "ok" / ".git").is_dir()


def test_the_default_list_binds_ssh_too(ssh_site, make_user, make_repo, git, tmp_path):  # noqa: F811
    bob = make_user("bob", admin=True)
    make_repo("project", owner=bob)
    key = ssh_site.add_key(bob)
    do_add_network(None, "2001:db8::/32")
    proc = git("ls-remote", ssh_site.url("project"), extra_env=ssh_site.env(key), check=False)
    assert proc.returncode != 0 and "Access for bob from 127.0.0.1 is not allowed" in proc.stderr
    do_add_network(None, "127.0.0.1")
    git("ls-remote", ssh_site.url("project"), extra_env=ssh_site.env(key))


@pytest.fixture
def site_ini(transactional_db, repo_root, tmp_path):
    from django.db import connection

    return write_site_ini(
        tmp_path / "site.ini",
        db_name=connection.settings_dict["NAME"],
        base_path=repo_root,
        authorized_keys=tmp_path / "authorized_keys",
    )


def serve(ini, user_id, key_id, command, connection):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSH_", "LINDOS_", "DJANGO_"))}
    env["SSH_ORIGINAL_COMMAND"] = command
    if connection is not None:
        env["SSH_CONNECTION"] = connection
    return subprocess.run(
        [LINDOS_PROGRAM, "ssh-serve", "-c", ini, str(user_id), str(key_id)],
        env=env,
        input=b"0000",
        capture_output=True,
        timeout=120,
    )


def test_forced_command_reads_ipv6_and_refuses_an_unknown_address(site_ini, make_user, make_repo, tmp_path):
    from lindos.ssh.actions import do_add_ssh_key
    from tests.sshd import keygen

    alice = make_user("alice")
    make_repo("project", owner=alice)
    key = do_add_ssh_key(alice, keygen(tmp_path / "k"))
    do_add_network(alice, "2001:db8::/32")
    command = "git-upload-pack '/project'"
    proc = serve(site_ini, alice.pk, key.pk, command, "2001:db8::7 50000 2001:db8::1 22")
    assert proc.returncode == 0, proc.stderr
    for connection in ("2001:db9::7 50000 ::1 22", "10.0.0.1 5 10.0.0.2 22", "", "garbage"):
        proc = serve(site_ini, alice.pk, key.pk, command, connection)
        assert proc.returncode == 1 and proc.stdout == b"", connection
        assert proc.stderr.startswith(b"abort: Access for alice from ")
        assert proc.stderr.count(b"\n") == 1
