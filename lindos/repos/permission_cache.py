"""One request's memory of permission answers.

A page asks the same questions many times (the header, the tabs, each
comment's buttons, each pull request of a list); ``lindos.repos.permissions``
remembers its answers for the length of one request, WSGI call, SSH command
or API call, and nowhere else: outside a ``permission_cache()`` block every
question goes to the database, so a test or a command that changes grants
sees the change at once. Actions that change grants, memberships, owners or
defaults call ``forget_cached_permissions()`` so the rest of their request
sees the change too.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

_cache: ContextVar[dict | None] = ContextVar("lindos_permission_cache", default=None)


@contextmanager
def permission_cache():
    """Remember permission answers inside this block (nested blocks share
    the outer one's memory)."""
    if _cache.get() is not None:
        yield
        return
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def cached(key, compute: Callable):
    """``compute()``, remembered under ``key`` while a cache is open."""
    memory = _cache.get()
    if memory is None:
        return compute()
    try:
        return memory[key]
    except KeyError:
        value = memory[key] = compute()
        return value


def forget_cached_permissions() -> None:
    memory = _cache.get()
    if memory is not None:
        memory.clear()


class PermissionCacheMiddleware:
    """Each request gets a fresh memory (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with permission_cache():
            return self.get_response(request)
