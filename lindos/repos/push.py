"""After a push: the one function every transport calls.

git (``lindos.transport.git_http``) and Mercurial (``lindos.transport.hg_push``,
over HTTP and any other server that installs its hooks) describe what a push
moved as ``RefChange`` rows and call ``do_after_push``. It

1. records the push in the journal and moves the repository's "last change"
   (``journal.record_push``), and
2. once that commits, sends ``repository_pushed``: the review app gives
   open pull requests from a moved branch or bookmark their new iteration,
   and anything else that must follow a push (cache warming, hooks of
   extensions) listens there too.

Caches of repository content are keyed by immutable changeset ids, so a push
never makes one of them wrong; what changes is which id a branch name
resolves to, and that is read fresh for every request.

A push that moved nothing (everything was already there, or the server
refused it) records nothing.
"""

from __future__ import annotations

import logging

from lindos.repos.journal import RefChange, record_push
from lindos.repos.models import Repository

log = logging.getLogger(__name__)


def do_after_push(repo: Repository, user, changes: list[RefChange]) -> None:
    """Record an accepted push and announce it (see module doc).

    Never raises: the changesets are already in the repository, so a failure
    here is logged and must not turn the client's push into an error.
    """
    if not changes:
        return
    try:
        record_push(repo, user, list(changes))
    except Exception:
        log.exception("recording a push to %s failed", repo.name)
