"""The one place that sets up Mercurial for in-process use.

Mercurial reads its configuration and encoding from the environment when it
is first imported, so this module must be imported before any other
``mercurial`` import in the process (``lindos.vcs.hg`` imports it first):

* ``HGRCPATH=''`` (unless already set): no system or user hgrc changes what
  the server sees; a repository's own ``.hg/hgrc`` still applies.
* ``HGENCODING=utf-8``: Mercurial stores metadata as UTF-8 and converts it
  to the "local" encoding on the way out; under a ``C`` locale it would turn
  every non-ASCII branch or tag name into ``?``.
* ``HGPLAIN=1``: no user-facing output tweaks.

Mercurial's API speaks bytes; the backend converts at its boundary with
``lindos.vcs.text``. Mercurial 7 moved ``hg.repository`` and ``hg.clone``;
the wrappers here pick whichever the installed version has.
"""

from __future__ import annotations

import io
import os

os.environ.setdefault("HGRCPATH", "")
os.environ.setdefault("HGENCODING", "utf-8")
os.environ.setdefault("HGPLAIN", "1")

from mercurial import error  # noqa: E402
from mercurial import ui as uimod

try:  # Mercurial >= 7.1 registers revset predicates (limit(), file()...)
    # and other tables only once this is imported, as its CLI does.
    from mercurial import initialization

    initialization.init()
except ImportError:  # pragma: no cover - older Mercurial
    pass

try:  # Mercurial >= 7.1
    from mercurial.repo.factory import repository as _repository
except ImportError:  # pragma: no cover - older Mercurial
    from mercurial.hg import repository as _repository

try:  # Mercurial >= 7.1
    from mercurial.cmd_impls.clone import clone as _clone
except ImportError:  # pragma: no cover - older Mercurial
    from mercurial.hg import clone as _clone

from ..errors import RepositoryNotFound, VCSError  # noqa: E402

# Where a served ui's output goes: nowhere (see detach_from_process_streams).
# One file for the process, never closed.
_NULL_OUTPUT = open(os.devnull, "wb")


def detach_from_process_streams(ui: uimod.ui) -> uimod.ui:
    """Point ``ui``'s input and output away from the process's stdin/stdout.

    A fresh ui writes to the streams Mercurial saved when it was imported;
    a server's stdout is nobody's terminal, and when those streams have been
    closed since (a test's captured output, a daemon's detached stdout) any
    message Mercurial prints while serving would fail the request with
    "I/O operation on closed file".
    """
    ui.fin = io.BytesIO()
    ui.fout = _NULL_OUTPUT
    ui.ferr = _NULL_OUTPUT
    return ui


def make_ui() -> uimod.ui:
    """A ui that reads no config files and never prompts or prints."""
    ui = detach_from_process_streams(uimod.ui())
    for section, name, value in (
        (b"ui", b"quiet", b"true"),
        (b"ui", b"interactive", b"false"),
        (b"ui", b"paginate", b"false"),
        (b"ui", b"report_untrusted", b"false"),
    ):
        ui.setconfig(section, name, value, b"lindos")
    return ui


def open_hg(path: str):
    """Open the hg repository at ``path`` as it is served: hidden (obsolete)
    and secret changesets filtered out, as ``hg serve`` filters them."""
    if not os.path.isdir(os.path.join(path, ".hg")):
        raise RepositoryNotFound(f"no hg repository at {path}")
    try:
        return _repository(make_ui(), os.fsencode(path)).filtered(b"served")
    except error.RepoError as exc:
        raise RepositoryNotFound(f"no hg repository at {path}") from exc


def create_hg(path: str) -> None:
    """Create an empty hg repository (with an unused working directory)."""
    try:
        _repository(make_ui(), os.fsencode(path), create=True)
    except error.Abort as exc:
        raise VCSError(f"cannot create hg repository at {path}: {exc}") from exc


def clone_hg(src: str, dest: str) -> None:
    """Clone ``src`` to ``dest`` locally (hardlinked store), no checkout."""
    try:
        _clone(make_ui(), {}, os.fsencode(src), os.fsencode(dest), pull=False, update=False)
    except (error.Abort, error.RepoError) as exc:
        raise VCSError(f"cannot clone {src} to {dest}: {exc}") from exc
