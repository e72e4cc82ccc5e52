"""Mercurial pushes: what a push moved, handed to ``repos.push.do_after_push``.

Every server of hg for Lindos (HTTP in ``hg_http``, SSH, or anything else
that runs Mercurial's wire protocol) records pushes the same way: through
two Mercurial hooks that ``install_push_hooks`` adds to the ``ui`` the
repository is opened with.

* ``pretxnopen.lindos`` runs when a transaction opens, under the
  repository lock, and notes every named branch's tip and every bookmark;
* ``txnclose.lindos`` runs once the transaction committed, compares, and
  calls ``do_after_push`` with one ``RefChange`` per branch whose tip moved
  (``refs/heads/NAME``) and per bookmark created, moved or deleted
  (``refs/bookmarks/NAME``), with the all-zero id for "did not exist".

A transaction that was rolled back (a refused push, a hook veto, a client
that went away) never reaches ``txnclose``, so nothing is recorded.

How another server uses it:

* **in-process** (preferred; what ``hg_http`` does)::

      ui = hg_serve.serving_ui(allow_push=True)
      hg_push.install_push_hooks(ui, repository_id=repo.pk, user_id=user.pk)
      hgrepo = hg_serve.open_served(ui, repo.path)
      # ... run Mercurial's server on hgrepo (hgweb, wireprotoserver.sshserver)

* **a separate ``hg`` process** (``hg -R PATH serve --stdio``): pass the
  same settings on its command line, with ``LINDOS_CONFIG`` in its
  environment so the hook can reach the database::

      hg -R PATH serve --stdio $(hg_push.hook_arguments(repo.pk, user.pk))

  ``hook_arguments`` returns the ``--config`` options that name the hooks
  of this module as ``python:`` hooks; they set Django up on first use.
"""

from __future__ import annotations

import logging

from mercurial.node import hex as hg_hex  # noqa: E402

from lindos.vcs.hg import hgapi  # noqa: F401  (prepares Mercurial's environment)
from lindos.vcs.text import name_str

log = logging.getLogger(__name__)

ZERO_ID = "0" * 40
SECTION = b"lindos"
_STATE = "_lindos_refs_before"


def install_push_hooks(ui, *, repository_id: int, user_id: int | None) -> None:
    """Make pushes through repositories opened with ``ui`` reach the journal."""
    ui.setconfig(SECTION, b"repository_id", b"%d" % repository_id, b"lindos")
    ui.setconfig(SECTION, b"user_id", b"%d" % user_id if user_id else b"", b"lindos")
    ui.setconfig(b"hooks", b"pretxnopen.lindos", before_transaction, b"lindos")
    ui.setconfig(b"hooks", b"txnclose.lindos", after_transaction, b"lindos")


def hook_arguments(repository_id: int, user_id: int | None) -> list[str]:
    """``--config`` options giving a separate ``hg`` process the same hooks."""
    return [
        "--config",
        f"lindos.repository_id={repository_id}",
        "--config",
        f"lindos.user_id={user_id or ''}",
        "--config",
        f"hooks.pretxnopen.lindos=python:{__name__}.before_transaction",
        "--config",
        f"hooks.txnclose.lindos=python:{__name__}.after_transaction",
    ]


def ref_state(repo) -> dict[str, str]:
    """``refs/heads/BRANCH`` -> tip, ``refs/bookmarks/NAME`` -> node."""
    state = {}
    branchmap = repo.branchmap()
    for name in branchmap:
        state["refs/heads/" + name_str(name)] = hg_hex(repo.branchtip(name)).decode("ascii")
    for name, node in repo._bookmarks.items():
        state["refs/bookmarks/" + name_str(name)] = hg_hex(node).decode("ascii")
    return state


def compare_states(before: dict[str, str], after: dict[str, str]) -> list:
    """RefChanges from two ``ref_state``s, in ref order."""
    from lindos.repos.journal import RefChange

    changes = []
    for ref in sorted(set(before) | set(after)):
        old, new = before.get(ref, ZERO_ID), after.get(ref, ZERO_ID)
        if old != new:
            changes.append(RefChange(ref, old, new))
    return changes


def before_transaction(ui, repo, **kwargs) -> bool:
    """``pretxnopen`` hook: remember the refs (returns False: never vetoes)."""
    states = getattr(repo.unfiltered(), _STATE, None)
    if states is None:
        states = {}
        setattr(repo.unfiltered(), _STATE, states)
    txnid = kwargs.get("txnid")
    try:
        states[txnid] = ref_state(repo)
    except Exception:  # reading refs must never block a push
        log.exception("reading refs before a push failed")
    return False


def after_transaction(ui, repo, **kwargs) -> bool:
    """``txnclose`` hook: record what moved (returns False: never fails)."""
    states = getattr(repo.unfiltered(), _STATE, {})
    before = states.pop(kwargs.get("txnid"), None)
    if before is None:
        return False
    try:
        changes = compare_states(before, ref_state(repo))
        if changes:
            _record(ui, changes)
    except Exception:  # the changesets are in: a failure here is only logged
        log.exception("recording an hg push failed")
    return False


def _record(ui, changes) -> None:
    _ensure_django()
    from django.contrib.auth import get_user_model

    from lindos.repos.models import Repository
    from lindos.repos.push import do_after_push

    repository_id = int(ui.config(SECTION, b"repository_id") or 0)
    user_id = int(ui.config(SECTION, b"user_id") or 0) or None
    repo = Repository.objects.filter(pk=repository_id).first()
    if repo is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    do_after_push(repo, user, changes)


def _ensure_django() -> None:
    """In a separate ``hg`` process, set Django up from ``LINDOS_CONFIG``."""
    from django.apps import apps

    if not apps.ready:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindos.settings")
        django.setup()
