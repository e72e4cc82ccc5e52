"""The activity journal: pushes, creations and forks, newest first.

Writing an entry also moves ``Repository.updated_at`` (the "last change"
column of the home page) for pushes, records the push's webhook
deliveries in the same transaction, and announces a push with the
``repository_pushed`` signal once the transaction commits.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from lindos.repos.models import JournalAction, JournalEntry, Repository
from lindos.repos.signals import repository_pushed
from lindos.webhooks.enqueue import enqueue as enqueue_webhooks
from lindos.webhooks.payloads import build_push

ZERO_ID = "0" * 40


class RefChange(NamedTuple):
    ref: str
    old: str
    new: str

    @property
    def created(self) -> bool:
        return set(self.old) == {"0"}

    @property
    def deleted(self) -> bool:
        return set(self.new) == {"0"}


def short_ref(ref: str) -> str:
    """``refs/heads/main`` -> ``main``, ``refs/tags/v1`` -> ``v1``,
    (hg) ``refs/bookmarks/feature`` -> ``feature``."""
    for prefix in ("refs/heads/", "refs/tags/", "refs/bookmarks/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


def record_push(repo: Repository, user, changes: list[RefChange]) -> JournalEntry | None:
    """Record an accepted push (nothing if no ref moved) and announce it."""
    if not changes:
        return None
    user_id = user.pk if user is not None and user.is_authenticated else None
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            repository=repo,
            user_id=user_id,
            action=JournalAction.PUSH,
            ref_changes=[c._asdict() for c in changes],
        )
        Repository.objects.filter(pk=repo.pk).update(updated_at=timezone.now())
        # Webhook deliveries commit with the journal row (durable), and are sent later.
        enqueue_webhooks(repo.pk, "push", lambda: build_push(repo, user_or_none(user), changes))
        transaction.on_commit(
            lambda: repository_pushed.send(
                sender=Repository, repository_id=repo.pk, user_id=user_id, ref_changes=list(changes)
            )
        )
    return entry


def user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def record_event(repo: Repository, user, action: str, detail: str = "") -> JournalEntry:
    user_id = user.pk if user is not None and user.is_authenticated else None
    return JournalEntry.objects.create(repository=repo, user_id=user_id, action=action, detail=detail)


def recent_journal(repo: Repository, limit: int = 20) -> list[JournalEntry]:
    """The latest entries for a summary page. Each entry gets ``changes``:
    a list of ``{'ref', 'name', 'old', 'new', 'created', 'deleted'}`` dicts
    (``name`` is the branch or tag name) ready for a template."""
    entries = list(JournalEntry.objects.filter(repository=repo).select_related("user")[:limit])
    for entry in entries:
        entry.changes = []
        for raw in entry.ref_changes or []:
            change = RefChange(raw["ref"], raw["old"], raw["new"])
            entry.changes.append(
                {
                    "ref": change.ref,
                    "name": short_ref(change.ref),
                    "old": change.old,
                    "new": change.new,
                    "created": change.created,
                    "deleted": change.deleted,
                }
            )
    return entries
