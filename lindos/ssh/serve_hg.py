"""hg over SSH: Mercurial's own stdio server (``hg serve --stdio``), in-process.

The repository is opened from its folder in Lindos, never from the path
the client sent, and with no option from the client (``--config``,
``--debugger`` are refused before this point). Mercurial's stdio server
learns per wire command whether the client reads or writes, so a user with
read access only gets hooks that refuse any transaction
(``pretxnopen``, the start of every push) and any pushkey (bookmarks,
phases): their push ends in Mercurial's own abort with our reason.

A push by a user who may write is recorded in the journal through
``txnclose`` hooks (``install_push_recording``).
"""

from __future__ import annotations

import logging
import os

from mercurial import wireprotoserver  # noqa: E402  (after hgapi prepared the environment)
from mercurial.utils import procutil

from lindos.ssh.access import Grant
from lindos.vcs.hg import hgapi

log = logging.getLogger(__name__)


def serve_hg(grant: Grant) -> int:
    ui = hgapi.make_ui()
    # Over SSH the wire protocol is this process's stdin and stdout, and
    # messages for the client (a refused push) go to its stderr.
    ui.fin, ui.fout, ui.ferr = procutil.stdin, procutil.stdout, procutil.stderr
    ui.setconfig(b"ui", b"nontty", b"true", b"lindos")
    if grant.may_push:
        install_push_recording(ui, grant)
    else:
        refuse = _refuse_push(
            f"Permission denied: {grant.user.username} may not push to "
            f"'{grant.repo.name}' (your access is {grant.permission})."
        )
        ui.setconfig(b"hooks", b"pretxnopen.lindos_read_only", refuse, b"lindos")
        ui.setconfig(b"hooks", b"prepushkey.lindos_read_only", refuse, b"lindos")
    repo = hgapi._repository(ui, os.fsencode(grant.path))
    wireprotoserver.sshserver(ui, repo).serve_forever()
    return 0


def _refuse_push(message: str):
    def refuse(ui, repo, **kwargs) -> bool:
        ui.warn(message.encode("utf-8") + b"\n")
        return True  # a true result makes a pre- hook fail: the push aborts

    return refuse


def install_push_recording(ui, grant: Grant) -> None:
    """Record pushes in the journal, as hg over HTTP does."""
    from lindos.transport import hg_push

    hg_push.install_push_hooks(ui, repository_id=grant.repo.pk, user_id=grant.user.pk)
