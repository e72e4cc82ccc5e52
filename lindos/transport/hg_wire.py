"""What an hg client asks for: the wire command of a request, and whether
it reads or writes.

Mercurial's HTTP wire protocol (version 1) sends every request to the
repository's own URL with ``?cmd=NAME``; arguments travel in the query
string or, when long, in ``X-HgArg-1``, ``X-HgArg-2``... headers. One
command, ``batch``, bundles several (``cmds=heads ;known nodes=...``).

Whether a command writes is Mercurial's own word: every command in
``wireprotov1server.commands`` carries ``permission`` ``'pull'`` or
``'push'`` (``unbundle`` and ``pushkey`` push; extensions such as
largefiles register theirs there too). Lindos decides read or write from
that table *before* handing the request to Mercurial, so anonymous pushes
get the 401 that makes the client send credentials, and hgweb is then set
up to allow a push only when Lindos said so (``hg_serve``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl

from mercurial import wireprotov1server  # noqa: E402

from lindos.vcs.hg import hgapi  # noqa: F401  (prepares Mercurial's environment)

#: Longest ``cmd`` value looked at; anything longer is no command.
MAX_COMMAND_LENGTH = 64


def wire_command(environ: dict) -> str | None:
    """The ``cmd`` of the query string (the first, as hgweb takes it), or None."""
    for key, value in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True):
        if key == "cmd":
            return value
    return None


def is_wire_command(cmd: str | None) -> bool:
    """A command of Mercurial's wire protocol (not one of hgweb's pages)."""
    return (
        bool(cmd)
        and len(cmd) <= MAX_COMMAND_LENGTH
        and cmd.encode("latin-1", "replace") in wireprotov1server.commands
    )


def wire_arguments(environ: dict) -> dict[str, str]:
    """The command's arguments from the query string and ``X-HgArg-N`` headers."""
    parts, number = [], 1
    while (chunk := environ.get(f"HTTP_X_HGARG_{number}")) is not None:
        parts.append(chunk)
        number += 1
    args = {k: v for k, v in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True) if k != "cmd"}
    for key, values in parse_qs("".join(parts), keep_blank_values=True).items():
        args[key] = values[0]
    return args


def batch_commands(environ: dict) -> list[str] | None:
    """The names of the commands in a ``batch``; None if it cannot be read."""
    cmds = wire_arguments(environ).get("cmds")
    if cmds is None:
        return None
    names = []
    for pair in cmds.split(";"):
        name, sep, _args = pair.partition(" ")
        if not sep or not name:
            return None
        names.append(name)
    return names


def command_permission(cmd: str) -> str:
    """``'pull'`` or ``'push'``; an unknown command counts as a push."""
    entry = wireprotov1server.commands.get(cmd.encode("latin-1", "replace"))
    if entry is None:
        return "push"
    return "pull" if entry.permission == b"pull" else "push"


def needs_write(environ: dict) -> bool:
    """True when the request may change the repository (push permission).

    A ``batch`` writes if any command in it does, and one that cannot be
    read counts as a write (Mercurial would refuse it anyway).
    """
    cmd = wire_command(environ)
    if cmd is None:
        return False
    if cmd == "batch":
        names = batch_commands(environ)
        return names is None or any(command_permission(n) == "push" for n in names)
    return command_permission(cmd) == "push"


def is_hg_push(environ: dict) -> bool:
    """True for an hg request that writes (``?cmd=unbundle``, ``pushkey``...).

    For policies on request bodies: ``unbundle`` carries the pushed bundle,
    the only large body an hg client sends.
    """
    return wire_command(environ) is not None and needs_write(environ)
