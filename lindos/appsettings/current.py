"""The application settings in effect, read from the database.

Kallithea had a bug: settings read at start-up
through a database session that was then left open; MySQL closed the idle
connection after ``wait_timeout`` and the first task an hour later failed.
Here the start-up read closes every connection it opened before returning,
and later refreshes happen inside requests, on the request's own (health
checked) connection.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

REFRESH_SECONDS = 30  # other processes' changes show up within this time


@dataclass(frozen=True)
class AppSettingsSnapshot:
    title: str = "Lindos"
    registration: str = "manual"
    default_repo_permission: str = "read"
    mail_off: bool = False
    default_group_permission: str = "read"
    default_user_group_permission: str = "read"
    anonymous_access: bool = True
    create_repositories: bool = True
    create_repo_groups: bool = False
    create_user_groups: bool = False
    fork_repositories: bool = True


_lock = threading.Lock()
_snapshot = AppSettingsSnapshot()
_loaded_at = 0.0


def _read() -> AppSettingsSnapshot:
    from lindos.appsettings.models import AppSettings

    row = AppSettings.objects.filter(pk=1).first()
    if row is None:
        return AppSettingsSnapshot()
    return AppSettingsSnapshot(
        title=row.title,
        registration=row.registration,
        default_repo_permission=row.default_repo_permission,
        mail_off=row.mail_off,
        default_group_permission=row.default_group_permission,
        default_user_group_permission=row.default_user_group_permission,
        anonymous_access=row.anonymous_access,
        create_repositories=row.create_repositories,
        create_repo_groups=row.create_repo_groups,
        create_user_groups=row.create_user_groups,
        fork_repositories=row.fork_repositories,
    )


def _store(snapshot: AppSettingsSnapshot) -> AppSettingsSnapshot:
    global _snapshot, _loaded_at
    with _lock:
        _snapshot, _loaded_at = snapshot, time.monotonic()
    return snapshot


def _open_aliases() -> set[str]:
    return {conn.alias for conn in connections.all(initialized_only=True) if conn.connection is not None}


def load_app_settings_at_startup() -> AppSettingsSnapshot:
    """Read the settings once at process start and close the connection used.

    Nothing opened here survives to be reused by a request or task later.
    A connection that was already open belongs to the caller (a command
    inside a transaction, a test) and is left alone.
    """
    already_open = _open_aliases()
    try:
        snapshot = _read()
    except DatabaseError as exc:  # not migrated yet: defaults until it is
        log.info("application settings not readable yet (%s); using defaults", exc)
        snapshot = AppSettingsSnapshot()
    finally:
        for conn in connections.all(initialized_only=True):
            if conn.alias not in already_open:
                conn.close()
    return _store(snapshot)


def current_app_settings() -> AppSettingsSnapshot:
    return _snapshot


def refresh_if_stale() -> AppSettingsSnapshot:
    """Re-read within a request when the copy is older than REFRESH_SECONDS."""
    if time.monotonic() - _loaded_at < REFRESH_SECONDS:
        return _snapshot
    try:
        return _store(_read())
    except DatabaseError as exc:
        log.warning("could not refresh application settings: %s", exc)
        return _snapshot


def forget_app_settings() -> None:
    """Drop this process's copy: defaults until the next request re-reads
    the database (tests use it to start each case clean)."""
    global _snapshot, _loaded_at
    with _lock:
        _snapshot, _loaded_at = AppSettingsSnapshot(), 0.0


def save_app_settings(**changes) -> AppSettingsSnapshot:
    """Change settings in the database and in this process at once."""
    from lindos.appsettings.models import AppSettings

    row, _ = AppSettings.objects.get_or_create(pk=1)
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return _store(_read())
