"""An SSH site for the tests: a real sshd whose AuthorizedKeysFile is the
file Lindos writes, and a Lindos INI that ``lindos ssh-serve`` (run by sshd,
in its own process) reads. It points at this test's database file and
repository root, so what a test creates through the ORM is what the forced
command sees (hence ``transactional_db``: rows are committed)."""

import dataclasses
import os
import subprocess
import sys

import django
import pytest

django.setup()

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401
from tests.sshd import Sshd, keygen, ssh_client_available  # noqa: E402

LINDOS_PROGRAM = os.path.join(os.path.dirname(sys.executable), "lindos")


def write_site_ini(path, *, db_name: str, base_path, authorized_keys, extra: str = "") -> str:
    from lindos.cli.config_create import render_config

    text = render_config(
        {
            "sqlalchemy.url": f"sqlite:///{db_name}?timeout=60",
            "base_path": str(base_path),
            "cache_dir": str(path.parent / "data"),
            "ssh_enabled": "true",
            "ssh_authorized_keys": str(authorized_keys),
            "kallithea_cli_path": LINDOS_PROGRAM,
        }
    )
    path.write_text(text + extra)
    return str(path)


@dataclasses.dataclass
class SshSite:
    sshd: Sshd
    ini: str
    authorized_keys: str
    folder: str

    def add_key(self, user, name: str = "id", **keygen_args) -> str:
        """A new key pair for ``user``, registered in Lindos; the private key's path."""
        from lindos.ssh.actions import do_add_ssh_key, sync_authorized_keys

        path = os.path.join(self.folder, "keys", f"{user.username}-{name}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        public = keygen(path, **keygen_args)
        self.last_key = do_add_ssh_key(user, public, name)
        assert sync_authorized_keys() is None
        return path

    def env(self, key) -> dict:
        return {"GIT_SSH_COMMAND": self.sshd.ssh_command(key)}

    def url(self, name: str) -> str:
        return self.sshd.url(name)

    def ssh(self, key, command: str, stdin: bytes = b"", timeout: int = 60):
        """Run ``ssh HOST COMMAND`` with ``key``: what any client could send."""
        argv = [*self.sshd.ssh_command(key).split(), "-T", f"{self.sshd.user}@127.0.0.1", command]
        return subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout)


@pytest.fixture
def ssh_site(transactional_db, repo_root, settings, tmp_path):
    if not ssh_client_available():
        pytest.fail("OpenSSH is missing: run scripts/install-test-deps (openssh-server, openssh-client)")
    from django.db import connection

    from lindos.config import load_config

    folder = tmp_path / "ssh"
    folder.mkdir()
    authorized_keys = folder / "home" / ".ssh" / "authorized_keys"
    ini = write_site_ini(
        folder / "site.ini",
        db_name=connection.settings_dict["NAME"],
        base_path=repo_root,
        authorized_keys=authorized_keys,
    )
    site_config = load_config(ini)
    # Web views and actions of this process write the file for that INI.
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS,
        path=site_config.path,
        ssh_enabled=True,
        ssh_authorized_keys=site_config.ssh_authorized_keys,
        kallithea_cli_path=site_config.kallithea_cli_path,
    )
    from lindos.ssh.actions import sync_authorized_keys

    assert sync_authorized_keys() is None
    with Sshd(folder / "sshd", authorized_keys) as sshd:
        yield SshSite(sshd, ini, str(authorized_keys), str(folder))
