"""Writing a commit into a Mercurial repository without its working
directory: an in-memory changeset (``memctx``) committed under the
repository's store lock.

The lock is what ``hg push`` takes too, and acquiring it re-reads the
repository from disk; so the check that the branch's tip is still the
parent and the commit happen with no push in between. A branch whose tip
moved is refused, never given a second head.

A publishing repository (the default) makes what is pushed to it public,
ancestors included; a commit made on the server is treated the same, so
it does not linger as a draft that clients would treat as rewritable.
"""

from __future__ import annotations

import datetime

from mercurial import context, error, phases
from mercurial.node import bin as hg_bin
from mercurial.node import hex as hg_hex
from mercurial.node import nullid

from ..errors import BranchMoved, VCSError
from ..text import name_bytes
from .hgapi import open_hg


def commit(
    path: str,
    branch: str,
    parent: str | None,
    changes: dict[str, bytes | None],
    message: str,
    author: str,
    date: datetime.datetime,
) -> str:
    served = open_hg(path)
    unfiltered = served.unfiltered()
    raw_branch = name_bytes(branch)
    try:
        # The lock re-reads the repository once acquired; the transaction
        # makes the commit and its phase one change.
        with unfiltered.lock(), unfiltered.transaction(b"commit") as tr:
            current = served.branchtip(raw_branch, ignoremissing=True)
            expected = hg_bin(parent.encode("ascii")) if parent else None
            if current != expected:
                now = hg_hex(current).decode("ascii") if current else None
                raise BranchMoved(f"branch {branch!r} moved to {now} meanwhile")
            ctx = _memctx(served, raw_branch, expected or nullid, changes, message, author, date)
            node = ctx.commit()
            if served.publishing():
                phases.advanceboundary(unfiltered, tr, phases.public, [node])
    except error.LockError as exc:
        raise VCSError(f"the repository is locked: {exc}") from exc
    return hg_hex(node).decode("ascii")


def _memctx(repo, branch: bytes, parent: bytes, changes, message, author, date):
    raw = {name_bytes(path): content for path, content in changes.items()}
    manifest = repo[parent].manifest() if parent != nullid else {}

    def filectx(repo_, memctx, path):
        content = raw[path]
        if content is None:
            return None  # removed
        flags = manifest.flags(path) if path in manifest else b""
        return context.memfilectx(repo_, memctx, path, content, islink=False, isexec=b"x" in flags)

    offset = date.utcoffset() or datetime.timedelta(0)
    return context.memctx(
        repo,
        (parent, None),
        message.encode("utf-8"),
        list(raw),
        filectx,
        user=author.encode("utf-8"),
        # Mercurial's offset counts seconds west of UTC.
        date=(date.timestamp(), -int(offset.total_seconds())),
        extra={b"branch": branch},
    )
