"""The ``authorized_keys`` file sshd reads: Lindos's lines, and everyone else's.

Each key of an active user becomes one line forcing ``lindos ssh-serve``::

    command="/srv/lindos/.venv/bin/lindos ssh-serve -c /srv/lindos/my.ini 7 17",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty ssh-ed25519 AAAA...

so whatever the client asks for, sshd runs that command (the request is in
``SSH_ORIGINAL_COMMAND``) without a terminal or any forwarding.

The file is rewritten whole on every change, into a temporary file beside
it that replaces it in one ``rename`` (sshd never reads half a file), under
a lock so two web processes cannot interleave. Lines Lindos did not write
(an admin's own key, a deploy key, Kallithea's old lines) are kept, after
Lindos's: Lindos recognises its own lines by their options and by the
``ssh-serve -c CONFIG`` of this configuration file, so two Lindos sites can
share one account.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shlex
import tempfile

from lindos.ssh.keys import InvalidKey, parse_public_key

log = logging.getLogger(__name__)

OPTIONS = "no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty"


class AuthorizedKeysError(Exception):
    """The file could not be written; the message says where and why."""


def build_command(cli_path: str, config_path: str, user_id: int, key_id: int) -> str:
    """The forced command, shell-quoted (sshd runs it with the account's shell)
    and with ``"`` escaped as the authorized_keys option syntax wants."""
    argv = [cli_path, "ssh-serve", "-c", config_path, str(int(user_id)), str(int(key_id))]
    return " ".join(shlex.quote(a) for a in argv).replace('"', '\\"')


def build_line(cli_path: str, config_path: str, user_id: int, key_id: int, public_key: str) -> str:
    """One key's line; a stored key that no longer parses becomes a comment."""
    try:
        key = parse_public_key(public_key)
    except InvalidKey:
        return f"# Lindos: SSH key {int(key_id)} of user {int(user_id)} is not valid; left out\n"
    return f'command="{build_command(cli_path, config_path, user_id, key_id)}",{OPTIONS} {key.openssh}\n'


def build_header(config_path: str) -> str:
    return (
        f"# Lines running 'lindos ssh-serve -c {config_path}' are written by Lindos "
        "whenever an SSH key changes; other lines are kept as they are.\n"
    )


def is_lindos_line(line: str, config_path: str) -> bool:
    """True for a line this Lindos site wrote (key line or header)."""
    if line == build_header(config_path):
        return True
    marker = f" ssh-serve -c {shlex.quote(config_path)} ".replace('"', '\\"')
    return line.startswith('command="') and f'",{OPTIONS} ' in line and marker in line


def render_file(existing: str, config_path: str, key_lines: list[str]) -> str:
    """The new content: header and key lines, then the lines kept from ``existing``."""
    kept = [
        line if line.endswith("\n") else line + "\n"
        for line in existing.splitlines(keepends=True)
        if not is_lindos_line(line if line.endswith("\n") else line + "\n", config_path)
    ]
    return build_header(config_path) + "".join(key_lines) + "".join(kept)


def write_file(path: str, render) -> None:
    """Replace ``path`` atomically with ``render(current_content)``, under a lock.

    ``render`` runs inside the lock, so it must read the keys itself: a
    writer that read the database before another one committed cannot
    overwrite the newer file.
    """
    folder = os.path.dirname(path)
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder, mode=0o700)  # sshd wants ~/.ssh private
        with open(path + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                    existing = fh.read()
            except FileNotFoundError:
                existing = ""
            content = render(existing)
            fd, tmp = tempfile.mkstemp(prefix=".authorized_keys.", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as out:
                    os.fchmod(out.fileno(), 0o600)
                    out.write(content)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
    except OSError as exc:
        raise AuthorizedKeysError(f"cannot write {path}: {exc.strerror or exc}") from exc


def current_key_lines(config) -> list[str]:
    """Lines for every key of every active user, oldest key first."""
    from lindos.ssh.models import SshKey

    rows = (
        SshKey.objects.filter(user__is_active=True).order_by("pk").values_list("pk", "user_id", "public_key")
    )
    return [
        build_line(config.kallithea_cli_path, config.path, user_id, key_id, public_key)
        for key_id, user_id, public_key in rows
    ]


def write_authorized_keys(config) -> str | None:
    """Rewrite the file from the database; the path written, or None when
    SSH is disabled. Raises AuthorizedKeysError."""
    if not config.ssh_enabled:
        log.debug("ssh_enabled is false: not writing an authorized_keys file")
        return None
    if os.path.basename(config.kallithea_cli_path).startswith("kallithea-cli"):
        log.warning(
            "kallithea_cli_path = %s: Kallithea's program; point it at lindos", config.kallithea_cli_path
        )
    path = config.ssh_authorized_keys
    write_file(path, lambda existing: render_file(existing, config.path, current_key_lines(config)))
    log.info("wrote %s", path)
    return path
