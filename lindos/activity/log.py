"""The admin log (``/_admin``): every repository's journal
(``lindos.repos.models.JournalEntry``: pushes, creations, forks) and the
actions kept in ``ActionLog`` (following, deleting repositories, managing
users), newest first, one list. Only site admins read it."""

from __future__ import annotations

import logging

from django.db.models import IntegerField, Value

from lindos.activity.models import ActionLog

log = logging.getLogger(__name__)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def record_action(
    user, action: str, *, repository=None, repository_name: str = "", detail: str = "", address: str = ""
) -> ActionLog:
    """Write one admin log line (in the caller's transaction)."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return ActionLog.objects.create(
        user=user if authenticated else None,
        username=user.username if authenticated else "",
        action=action[:64],
        detail=(detail or "")[:255],
        repository=repository,
        repository_name=(repository.name if repository is not None else repository_name)[:255],
        address=(address or "")[:64],
    )


def admin_log_keys(journal, actions):
    """One queryset of ``(kind, id, created_at)`` rows over both tables
    (``kind`` 0: a journal entry, 1: an action), for paging both at once
    in the database."""
    left = journal.order_by().annotate(kind=Value(0, output_field=IntegerField()))
    right = actions.order_by().annotate(kind=Value(1, output_field=IntegerField()))
    left = left.values_list("kind", "id", "created_at")
    right = right.values_list("kind", "id", "created_at")
    return left.union(right, all=True).order_by("-created_at", "-id")
