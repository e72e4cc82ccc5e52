"""Reading the outbox the way a worker would see it.

A request only records a notification; its mails are written when a worker
expands it (``lindos.notifications.expand``).  Tests that look at the mails
an action caused, without delivering them, expand first through these
helpers; ``deliver_due()`` expands by itself.
"""

from __future__ import annotations


def expand() -> list[int]:
    """Expand every waiting notification now, as the worker would; return
    the outbox row ids written."""
    from lindos.notifications.expand import expand_pending

    return expand_pending(limit=1_000_000).mail_ids


def outbox_after(**filters):
    """The outbox rows (a queryset, oldest first) once every waiting
    notification is expanded."""
    from lindos.notifications.models import OutboxMail

    expand()
    return OutboxMail.objects.filter(**filters).order_by("id")


def notify_and_expand(event) -> list[int]:
    """``notify(event)`` followed by its expansion: the outbox row ids of
    its mails (what ``notify`` returned when it wrote them itself)."""
    from lindos.notifications import notify
    from lindos.notifications.expand import expand_pending

    return expand_pending(ids=[notify(event)]).mail_ids
