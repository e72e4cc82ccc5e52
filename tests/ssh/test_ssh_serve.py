"""``lindos ssh-serve`` run directly, as sshd would, without sshd: the
refusals that do not need a connection."""

import os
import subprocess

import pytest

from tests.ssh.conftest import LINDOS_PROGRAM, write_site_ini


@pytest.fixture
def site_ini(transactional_db, repo_root, tmp_path):
    from django.db import connection

    return write_site_ini(
        tmp_path / "site.ini",
        db_name=connection.settings_dict["NAME"],
        base_path=repo_root,
        authorized_keys=tmp_path / "authorized_keys",
    )


def serve(ini, user_id, key_id, command, connection="127.0.0.1 5 127.0.0.1 22", stdin=b""):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSH_", "LINDOS_", "DJANGO_"))}
    if command is not None:
        env["SSH_ORIGINAL_COMMAND"] = command
    if connection:
        env["SSH_CONNECTION"] = connection
    return subprocess.run(
        [LINDOS_PROGRAM, "ssh-serve", "-c", ini, str(user_id), str(key_id)],
        env=env,
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_disabled(site_ini, tmp_path):
    text = open(site_ini).read().replace("ssh_enabled = true", "ssh_enabled = false")
    open(site_ini, "w").write(text)
    proc = serve(site_ini, 1, 1, "git-upload-pack '/x'")
    assert (proc.returncode, proc.stdout) == (1, b"")
    assert proc.stderr == b"abort: SSH access is disabled on this server.\n"


def test_run_by_hand(site_ini):
    proc = serve(site_ini, 1, 1, None, connection=None)
    assert proc.returncode == 1
    assert (
        proc.stderr
        == b"abort: 'lindos ssh-serve' is run by sshd from an authorized_keys line, not by hand.\n"
    )


def test_key_of_another_user_or_unknown(site_ini, make_user, make_repo, tmp_path):
    from lindos.ssh.actions import do_add_ssh_key
    from tests.sshd import keygen

    alice, bob = make_user("alice"), make_user("bob")
    make_repo("project", owner=alice)
    key = do_add_ssh_key(alice, keygen(tmp_path / "k"))
    for user_id, key_id in ((bob.pk, key.pk), (alice.pk, key.pk + 1000)):
        proc = serve(site_ini, user_id, key_id, "git-upload-pack '/project'")
        assert proc.returncode == 1 and proc.stdout == b""
        assert proc.stderr == b"abort: This SSH key is no longer registered in Lindos.\n"
    proc = serve(site_ini, alice.pk, key.pk, "git-upload-pack '/project'", stdin=b"0000")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith(b"0000")  # the ref advertisement of an empty repository


def test_missing_database_is_one_line(tmp_path, repo_root):
    """An empty database (never migrated) stands for any database failure."""
    ini = write_site_ini(
        tmp_path / "site.ini",
        db_name=str(tmp_path / "nowhere" / "x.db"),
        base_path=repo_root,
        authorized_keys=tmp_path / "authorized_keys",
    )
    proc = serve(ini, 1, 1, "git-upload-pack '/x'")
    assert proc.returncode == 1 and proc.stdout == b""
    lines = proc.stderr.decode().splitlines()
    assert lines == ["abort: Lindos cannot reach its database; try again later."], lines


def test_refusals_come_before_django_and_load_no_other_command(site_ini):
    """ssh-serve runs per connection: a refused command costs no Django set-up,
    and no other command's module is imported."""
    import sys

    code = (
        "import sys; from lindos.cli import main; rc = main(['ssh-serve', '-c', sys.argv[1], '1', '1']); "
        "print(rc, sorted(m for m in sys.modules if m.startswith(('lindos.cli.', 'django.db', 'lindos.ssh.models'))))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSH_", "LINDOS_", "DJANGO_"))}
    env.update(SSH_ORIGINAL_COMMAND="bash", SSH_CONNECTION="127.0.0.1 5 127.0.0.1 22")
    proc = subprocess.run(
        [sys.executable, "-c", code, site_ini], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout == "1 ['lindos.cli.ssh_serve']\n", proc.stderr
    assert proc.stderr.startswith("abort: SSH command not supported: 'bash'.")


def test_a_throttled_account_is_refused_over_ssh_too(transactional_db, make_user, tmp_path):
    """Ten wrong passwords for alice from 203.0.113.5 (on any channel)
    refuse her from that address: her SSH key from there is refused with the
    throttle's message, while from another address it still works.
    (In-process: the throttle's counters are keyed with the site's secret.)"""
    from lindos.accounts import throttle
    from lindos.ssh.access import authenticate_key
    from lindos.ssh.actions import do_add_ssh_key
    from lindos.ssh.commands import Refused
    from tests.sshd import keygen

    alice = make_user("alice")
    key = do_add_ssh_key(alice, keygen(tmp_path / "k"))
    for _ in range(10):
        throttle.begin("alice", "203.0.113.5", "web").failed()
    with pytest.raises(Refused, match="^Too many failed logins for this account from your address"):
        authenticate_key(alice.pk, key.pk, "203.0.113.5")
    assert authenticate_key(alice.pk, key.pk, "198.51.100.7") == alice
