"""What an SSH client asked for, from ``SSH_ORIGINAL_COMMAND``: pure, no Django.

Exactly three forms are served, as git and hg send them:

* ``git-upload-pack 'NAME'`` (clone, fetch, ls-remote)
* ``git-receive-pack 'NAME'`` (push)
* ``hg -R NAME serve --stdio`` (every hg command)

NAME may start with ``/`` (``ssh://host/NAME``) or not (``host:NAME``), and
end with ``/``. Anything else (a shell, another program, extra options such
as ``--config`` or ``--debugger`` that would let a client change what the
server runs) is refused with one line; it is never passed to a shell.
"""

from __future__ import annotations

import shlex
from typing import NamedTuple

GIT_SERVICES = ("git-upload-pack", "git-receive-pack")
#: Longest command looked at; git and hg send well under this.
MAX_COMMAND = 4096


class Refused(Exception):
    """The one-line reason sent to the client (``abort: ...`` on stderr)."""


class SshRequest(NamedTuple):
    vcs: str  # "git" or "hg"
    service: str  # git-upload-pack, git-receive-pack or hg
    repo_name: str

    @property
    def read_only(self) -> bool:
        """Known to only read before any repository is opened (git's fetch).

        hg's stdio server learns whether it will write per wire command,
        so it is never read-only here."""
        return self.service == "git-upload-pack"


def printable(text: str, limit: int = 100) -> str:
    """``text`` safe to echo on one line: control characters as ``?``, cut at ``limit``."""
    shown = "".join(c if c.isprintable() else "?" for c in text[:limit])
    return shown + ("..." if len(text) > limit else "")


def parse_ssh_command(command: str | None) -> SshRequest:
    """The request in ``command``, or Refused saying what is supported."""
    if not command or not command.strip():
        raise Refused("This account only serves git and hg repositories; interactive logins are disabled.")
    if len(command) > MAX_COMMAND or "\0" in command:
        raise Refused("SSH command not supported: it is too long or contains a NUL character.")
    try:
        parts = shlex.split(command)
    except ValueError as exc:
        raise Refused(f"SSH command not supported: {exc} in {printable(command)!r}.")
    if len(parts) == 2 and parts[0] in GIT_SERVICES:
        return SshRequest("git", parts[0], _repo_name(parts[1]))
    if len(parts) == 5 and parts[:2] == ["hg", "-R"] and parts[3:] == ["serve", "--stdio"]:
        return SshRequest("hg", "hg", _repo_name(parts[2]))
    raise Refused(
        f"SSH command not supported: {printable(command)!r}. This account only serves "
        "git-upload-pack, git-receive-pack and 'hg -R REPO serve --stdio'."
    )


def _repo_name(raw: str) -> str:
    """The repository name as the database spells it (no leading or trailing ``/``).

    Nothing else is done to it: a name that is not exactly a repository's
    is simply not found, whatever dots or slashes it holds.
    """
    name = raw[1:] if raw.startswith("/") else raw
    name = name.rstrip("/")
    if not name:
        raise Refused("No repository named in the SSH command.")
    return name
