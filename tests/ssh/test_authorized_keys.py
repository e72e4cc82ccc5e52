"""The authorized_keys file: Lindos's lines, others' lines kept, atomic rewrite."""

import dataclasses
import os
import re
import shlex
import stat
import subprocess
import sys

import pytest

from lindos.ssh.authorized_keys import OPTIONS, build_line, is_lindos_line, render_file
from tests.sshd import keygen

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1NA2kBQIKe74afUXmIWD9ByDYQJqUwW44Y4gJOBRuo"


def command_of(line: str) -> list[str]:
    """The argv sshd's shell runs for a line (sshd turns \\" back into ")."""
    quoted = re.match(r'command="((?:[^"\\]|\\")*)",', line).group(1)
    return shlex.split(quoted.replace('\\"', '"'))


def test_line_format():
    line = build_line("/srv/lindos/.venv/bin/lindos", "/srv/lindos/my.ini", 7, 17, KEY + " me@host")
    assert line == (
        f'command="/srv/lindos/.venv/bin/lindos ssh-serve -c /srv/lindos/my.ini 7 17",{OPTIONS} {KEY}\n'
    )
    assert OPTIONS == "no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty"


@pytest.mark.parametrize("folder", ["/srv/my lindos", "/srv/it's", '/srv/say "hi"', "/srv/$(id)", "/srv/a;b"])
def test_odd_paths_are_quoted_for_the_shell_and_the_option(folder):
    line = build_line(f"{folder}/bin/lindos", f"{folder}/my.ini", 3, 4, KEY)
    assert command_of(line) == [f"{folder}/bin/lindos", "ssh-serve", "-c", f"{folder}/my.ini", "3", "4"]
    assert is_lindos_line(line, f"{folder}/my.ini")
    assert line.count("\n") == 1


def test_invalid_stored_key_becomes_a_comment():
    assert (
        build_line("lindos", "/x.ini", 1, 2, "ssh-rsa AAAA")
        == "# Lindos: SSH key 2 of user 1 is not valid; left out\n"
    )


def test_other_lines_are_kept_and_own_lines_replaced():
    own_old = build_line("/old/lindos", "/srv/site.ini", 1, 1, KEY)
    other_site = build_line("/srv/lindos", "/srv/other.ini", 1, 1, KEY)
    kallithea = (
        'no-pty,no-port-forwarding,no-X11-forwarding,no-agent-forwarding,command="/srv/k/bin/'
        f'kallithea-cli ssh-serve -c /srv/site.ini 7 17" {KEY}\n'
    )
    admin = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAdminKey admin@box"  # no final newline
    existing = "# my notes\n" + own_old + kallithea + other_site + "\n" + admin
    new_line = build_line("/srv/lindos", "/srv/site.ini", 2, 5, KEY)
    out = render_file(existing, "/srv/site.ini", [new_line])
    lines = out.splitlines(keepends=True)
    assert lines[0].startswith("# Lines running 'lindos ssh-serve -c /srv/site.ini' are written by Lindos")
    assert lines[1:] == [new_line, "# my notes\n", kallithea, other_site, "\n", admin + "\n"]
    # Rendering again is stable (the header is recognised as ours).
    assert render_file(out, "/srv/site.ini", [new_line]) == out


@pytest.fixture
def ssh_config(settings, tmp_path, db):
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS,
        ssh_enabled=True,
        ssh_authorized_keys=str(tmp_path / "h" / ".ssh" / "authorized_keys"),
        kallithea_cli_path="/opt/lindos/bin/lindos",
    )
    return settings.LINDOS


def test_write_creates_private_folder_and_file_atomically(ssh_config, make_user, tmp_path):
    from lindos.ssh.actions import do_add_ssh_key, sync_authorized_keys

    alice = make_user("alice")
    row = do_add_ssh_key(alice, keygen(tmp_path / "k"), "laptop")
    assert sync_authorized_keys() is None
    path = ssh_config.ssh_authorized_keys
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    lines = open(path).read().splitlines()
    assert lines[1].startswith(
        f'command="/opt/lindos/bin/lindos ssh-serve -c {ssh_config.path} '
        f'{alice.pk} {row.pk}",{OPTIONS} ssh-ed25519 '
    )
    leftovers = [n for n in os.listdir(os.path.dirname(path)) if n.startswith(".authorized_keys.")]
    assert leftovers == []


def test_inactive_users_keys_are_left_out(ssh_config, make_user, tmp_path):
    from lindos.ssh.actions import do_add_ssh_key, sync_authorized_keys

    alice, bob = make_user("alice"), make_user("bob")
    do_add_ssh_key(alice, keygen(tmp_path / "a"))
    do_add_ssh_key(bob, keygen(tmp_path / "b"))
    type(bob).objects.filter(pk=bob.pk).update(is_active=False)
    sync_authorized_keys()
    text = open(ssh_config.ssh_authorized_keys).read()
    assert f" {alice.pk} " in text and f" {bob.pk} " not in text


def test_unwritable_folder_is_reported(ssh_config, settings, make_user, tmp_path):
    from lindos.ssh.actions import sync_authorized_keys

    blocker = tmp_path / "file"
    blocker.write_text("")
    settings.LINDOS = dataclasses.replace(ssh_config, ssh_authorized_keys=str(blocker / "authorized_keys"))
    problem = sync_authorized_keys()
    assert problem.startswith("The SSH key file could not be updated (cannot write ")


def test_disabled_ssh_writes_nothing(settings, tmp_path, db):
    from lindos.ssh.authorized_keys import write_authorized_keys

    config = dataclasses.replace(
        settings.LINDOS, ssh_enabled=False, ssh_authorized_keys=str(tmp_path / "authorized_keys")
    )
    assert write_authorized_keys(config) is None
    assert not (tmp_path / "authorized_keys").exists()


def test_update_command(tmp_path, transactional_db):
    """``lindos ssh-update-authorized-keys`` in its own process, on the test database."""
    from django.db import connection

    from tests.ssh.conftest import write_site_ini

    path = tmp_path / "ak" / "authorized_keys"
    path.parent.mkdir()
    path.write_text("ssh-ed25519 AAAAmine admin\n")
    ini = write_site_ini(
        tmp_path / "site.ini",
        db_name=connection.settings_dict["NAME"],
        base_path=tmp_path,
        authorized_keys=path,
    )
    lindos = os.path.join(os.path.dirname(sys.executable), "lindos")
    proc = subprocess.run(
        [lindos, "ssh-update-authorized-keys", "-c", ini], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"Wrote {path}\n"
    assert path.read_text().endswith("ssh-ed25519 AAAAmine admin\n")
    text = (tmp_path / "site.ini").read_text().replace("ssh_enabled = true", "ssh_enabled = false")
    (tmp_path / "site.ini").write_text(text)
    proc = subprocess.run(
        [lindos, "ssh-update-authorized-keys", "-c", ini], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stderr == f"lindos: error: SSH is disabled (ssh_enabled = false in {ini}): nothing written\n"
