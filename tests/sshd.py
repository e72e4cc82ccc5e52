"""A real OpenSSH ``sshd`` on a loopback port, for the SSH tests and bench.

It runs as the current user with its own host key and configuration in a
temporary folder: ``AuthorizedKeysFile`` is the file Lindos writes, so the
forced ``command=`` of each key line is what runs, exactly as in
production. ``sshd`` insists on an absolute path and, as root, on its
privilege separation folder ``/run/sshd``.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time

SSHD = "/usr/sbin/sshd"

CONFIG = """\
Port {port}
ListenAddress 127.0.0.1
HostKey {folder}/host_ed25519
PidFile {folder}/sshd.pid
AuthorizedKeysFile {authorized_keys}
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin forced-commands-only
AllowUsers {user}
AcceptEnv GIT_PROTOCOL
PrintMotd no
LogLevel ERROR
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def keygen(path, kind: str = "ed25519", bits: int | None = None, comment: str = "") -> str:
    """Make a key pair at ``path`` (no passphrase); return the public key line."""
    argv = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", comment, "-f", str(path)]
    if bits:
        argv += ["-b", str(bits)]
    subprocess.run(argv, check=True, capture_output=True)
    with open(f"{path}.pub") as fh:
        return fh.read().strip()


class Sshd:
    """``with Sshd(folder, authorized_keys) as sshd:`` serves until the block ends."""

    def __init__(self, folder, authorized_keys):
        self.folder = str(folder)
        self.authorized_keys = str(authorized_keys)
        self.user = getpass.getuser()
        self.port = None
        self.proc = None

    def __enter__(self) -> Sshd:
        if not os.path.exists(SSHD):
            raise RuntimeError(f"{SSHD} is missing: run scripts/install-test-deps (openssh-server)")
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        os.makedirs(self.folder, exist_ok=True)
        keygen(os.path.join(self.folder, "host_ed25519"))
        config = os.path.join(self.folder, "sshd_config")
        for _attempt in range(5):  # another process may take the port in between
            self.port = free_port()
            with open(config, "w") as fh:
                fh.write(
                    CONFIG.format(
                        port=self.port,
                        folder=self.folder,
                        user=self.user,
                        authorized_keys=self.authorized_keys,
                    )
                )
            self.proc = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", config], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            if self._wait_listening():
                return self
            self.proc.kill()
            self.proc.wait()
        raise RuntimeError(f"sshd did not start: {self.proc.stderr.read().decode()}")

    def _wait_listening(self) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    if sock.recv(4).startswith(b"SSH-"):
                        return True
            except OSError:
                time.sleep(0.05)
        return False

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()

    def ssh_command(self, key) -> str:
        """What git's ``GIT_SSH_COMMAND`` and hg's ``--ssh`` take."""
        return (
            f"ssh -i {key} -p {self.port} -o IdentitiesOnly=yes -o BatchMode=yes "
            "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
        )

    def url(self, repo_name: str) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}/{repo_name}"


def ssh_client_available() -> bool:
    return bool(shutil.which("ssh")) and os.path.exists(SSHD)
