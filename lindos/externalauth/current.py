"""The authentication settings in effect.

Read on every login attempt and, with container logins on, by every
request: so a process keeps its copy for ``REFRESH_SECONDS`` (another
process's change shows within that time; this process's own at once).
"""

from __future__ import annotations

import threading
import time

from django.db import DatabaseError

from lindos.externalauth.models import AuthSettings

REFRESH_SECONDS = 5

# Kallithea names its plugins by module; the last part after "auth_" is the
# short name Lindos stores ("kallithea.lib.auth_modules.auth_ldap" -> "ldap").
_MODULE_PREFIX = "auth_"

_lock = threading.Lock()
_cached: tuple[float, AuthSettings] | None = None


def plugin_names(plugins: str) -> list[str]:
    """Kallithea's ``auth_plugins`` (short names or module paths, comma
    separated) as short names, in order, without repeats."""
    names = []
    for item in plugins.split(","):
        name = item.strip().rsplit(".", 1)[-1]
        if name.startswith(_MODULE_PREFIX):
            name = name[len(_MODULE_PREFIX) :]
        if name and name not in names:
            names.append(name)
    return names


def is_active(config: AuthSettings, source: str) -> bool:
    """A source logs people in when it is listed in ``plugins`` and (for
    the external ones) enabled, as Kallithea required both."""
    if source not in plugin_names(config.plugins):
        return False
    return source == "internal" or bool(getattr(config, f"{source}_enabled"))


def current_auth_settings() -> AuthSettings:
    global _cached
    with _lock:
        cached = _cached
    if cached is not None and time.monotonic() - cached[0] < REFRESH_SECONDS:
        return cached[1]
    try:
        config = AuthSettings.objects.filter(pk=1).first() or AuthSettings()
    except DatabaseError:  # not migrated yet: Lindos's own passwords only
        return AuthSettings()
    with _lock:
        _cached = (time.monotonic(), config)
    return config


def save_auth_settings(config: AuthSettings) -> AuthSettings:
    """Store ``config`` as the one row and use it in this process at once."""
    global _cached
    config.pk = 1
    config.save()
    with _lock:
        _cached = (time.monotonic(), config)
    return config


def forget_auth_settings() -> None:
    """Drop this process's copy (tests start each case from the database)."""
    global _cached
    with _lock:
        _cached = None
