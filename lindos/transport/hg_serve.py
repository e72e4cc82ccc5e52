"""Mercurial's own server, set up for Lindos.

Lindos does not reimplement the wire protocol: requests go to Mercurial's
``hgweb`` (``mercurial.hgweb.hgweb``), which runs ``wireprotoserver`` as
``hg serve`` does, so bundle2, phases, bookmarks, obsolescence markers and
extension capabilities (largefiles) travel exactly as ``hg serve`` sends
them. Lindos has made the access decision already (``hg_wire``,
``access``); the ``ui`` built here makes hgweb agree with it:

* ``web.allow-push`` is ``*`` only when Lindos allowed this request to
  write, else empty, so hgweb refuses a push that slipped past (say, in a
  ``batch``); ``web.push_ssl`` is off because TLS is the front server's
  business, as in Kallithea;
* reading is open to hgweb (``allow_read`` and ``deny_read`` empty) because
  a request that reaches it may read;
* ``web.view`` stays Mercurial's ``served``: secret and hidden (obsolete)
  changesets are never sent;
* no system or user hgrc is read (``hgapi`` clears ``HGRCPATH``); the
  repository's own ``.hg/hgrc`` still applies, as it does for ``hg serve``.

Extensions (``hg.extensions`` in the INI file) are loaded once per process:
``largefiles`` ships with Mercurial; ``evolve`` and ``topic`` come with the
``hg-evolve`` package. ``missing_extensions`` names those that cannot be
imported so start-up can say so in one line.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections import OrderedDict

from mercurial import extensions  # noqa: E402
from mercurial import ui as uimod

from lindos.vcs.hg import hgapi

log = logging.getLogger(__name__)

#: Module each known extension name needs, to tell whether it is installed.
EXTENSION_MODULES = {
    "largefiles": "hgext.largefiles",
    "evolve": "hgext3rd.evolve",
    "topic": "hgext3rd.topic",
}

#: Package to install for an extension that is not part of Mercurial.
EXTENSION_PACKAGES = {"evolve": "hg-evolve", "topic": "hg-evolve"}

#: Seconds a push waits for a repository lock held by another push (or an
#: admin's hg command) before hg gives up with its own one-line message,
#: rather than holding a server thread for hg's default ten minutes.
LOCK_TIMEOUT = 60

_loaded: set[tuple[str, ...]] = set()
_warned: set[str] = set()
_load_lock = threading.Lock()


def extension_module(name: str) -> str:
    return EXTENSION_MODULES.get(name, "hgext." + name)


def missing_extensions(names) -> list[str]:
    """The names among ``names`` whose module is not installed."""
    missing = []
    for name in names:
        try:
            found = importlib.util.find_spec(extension_module(name)) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def serving_ui(
    *,
    allow_push: bool,
    extensions_enabled=("largefiles",),
    evolution: str = "",
    largefiles_cache: str | None = None,
) -> uimod.ui:
    """A fresh ui for serving one request (see module doc).

    Extensions that are not installed are left out, with one warning per
    process; ``evolution`` is Mercurial's ``experimental.evolution`` (e.g.
    ``all``) when obsolescence markers should be created and exchanged;
    ``largefiles_cache`` is the server's largefiles store shared between
    repositories (Mercurial's default would be the server user's HOME).
    """
    ui = hgapi.detach_from_process_streams(uimod.ui())
    for section, name, value in (
        (b"ui", b"interactive", b"false"),
        (b"ui", b"paginate", b"false"),
        (b"ui", b"report_untrusted", b"false"),
        (b"ui", b"nontty", b"true"),
        (b"ui", b"timeout", b"%d" % LOCK_TIMEOUT),
        (b"web", b"push_ssl", b"false"),
        (b"web", b"allow-push", b"*" if allow_push else b""),
        (b"web", b"allow-pull", b"true"),
        (b"web", b"allow_read", b""),
        (b"web", b"deny_read", b""),
        (b"web", b"encoding", b"UTF-8"),
    ):
        ui.setconfig(section, name, value, b"lindos")
    if largefiles_cache:
        ui.setconfig(b"largefiles", b"usercache", os.fsencode(largefiles_cache), b"lindos")
    if evolution:
        ui.setconfig(b"experimental", b"evolution", evolution.encode(), b"lindos")
    missing = missing_extensions(extensions_enabled)
    _warn_missing(missing)
    wanted = tuple(n for n in extensions_enabled if n not in missing)
    for name in wanted:
        ui.setconfig(b"extensions", name.encode(), b"", b"lindos")
    if wanted:
        _load_extensions(ui, tuple(sorted(wanted)))
        extensions.populateui(ui)
    return ui


def missing_extension_message(name: str) -> str:
    package = EXTENSION_PACKAGES.get(name)
    how = f"install the {package} package" if package else "it is not part of this Mercurial"
    return (
        f"hg.extensions: Mercurial extension '{name}' is not installed "
        f"({how}); hg repositories are served without it"
    )


def _warn_missing(missing) -> None:
    for name in missing:
        if name not in _warned:
            _warned.add(name)
            log.warning("%s", missing_extension_message(name))


def _load_extensions(ui, names: tuple[str, ...]) -> None:
    # extensions.loadall wraps Mercurial functions process-wide: once is
    # enough, and twice at once from two threads would wrap twice.
    with _load_lock:
        if names in _loaded:
            return
        extensions.loadall(ui)
        _loaded.add(names)


def open_served(ui, path: str):
    """The repository at ``path`` opened with ``ui`` (a private copy for hgweb)."""
    if not os.path.isdir(os.path.join(path, ".hg")):
        raise hgapi.RepositoryNotFound(f"no hg repository at {path}")
    return hgapi._repository(ui, os.fsencode(path))


def make_hgweb(hgrepo, name: str):
    """Mercurial's WSGI application for one opened repository."""
    from mercurial.hgweb import hgweb

    return hgweb(hgrepo, name=name.encode("utf-8"))


#: Read-only applications kept open, as ``hg serve`` keeps its repository:
#: opening one costs ~20 ms and a pull makes half a dozen requests. hgweb
#: reloads a kept repository when its files change (a push through another
#: process, an admin's hg command), and is safe to share between threads.
READERS_KEPT = 32
_readers: OrderedDict[tuple, object] = OrderedDict()
_readers_lock = threading.Lock()


def reader_app(path: str, name: str, **ui_options):
    """A shared hgweb application that may only read ``path``.

    Pushes never use it: they get a fresh ui with the pushing user's hooks
    (``serving_ui(allow_push=True)`` and ``hg_push.install_push_hooks``).
    """
    key = (
        path,
        name,
        tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in ui_options.items())),
    )
    with _readers_lock:
        app = _readers.get(key)
        if app is not None:
            _readers.move_to_end(key)
            return app
    app = make_hgweb(open_served(serving_ui(allow_push=False, **ui_options), path), name)
    with _readers_lock:
        _readers[key] = app
        while len(_readers) > READERS_KEPT:
            _readers.popitem(last=False)
    return app


def forget_readers(path: str | None = None) -> None:
    """Drop kept applications (of ``path``, or all): a deleted or renamed
    repository must not be served from memory."""
    with _readers_lock:
        for key in [k for k in _readers if path is None or k[0] == path]:
            del _readers[key]
