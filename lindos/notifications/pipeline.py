"""From an event to outbox rows, in two stages.

    request:  event -> one PendingNotification row (``notify``)
    worker:   event -> facts -> recipients -> readers only -> valid addresses
                    -> composed mails -> outbox rows (``record_mails``,
                       called by ``expand``)

Policy:
- the request only writes the event, in the caller's transaction: a
  rolled-back action records nothing, a committed one is never lost, and
  the cost does not depend on how many people will be mailed;
- facts, recipients and read access are worked out when the worker expands
  the notification (normally moments later), so they are as of then: a
  reviewer added or a permission revoked in between counts;
- what the event is about being gone by then (a comment deleted before the
  expansion: the loader raises ``DoesNotExist``) is logged and mails nobody;
- facts are loaded in a savepoint: a loader that fails for any other reason
  does not break the transaction, and the mail goes to the fallback;
- fallback (Kallithea's rule): when the recipients cannot be determined, or
  come out empty for a mail someone must get, it goes to all admins plus the
  ``email_to`` addresses, with a warning saying why;
- no leaks: for a mail about a repository, users who cannot read it are
  dropped, whatever the rules said;
- a user whose address is not valid is skipped with a log line; the others
  still get theirs;
- writing the rows is not guarded: if that fails, the expansion's
  transaction fails and the notification stays pending for another try
  (``notify_now``: the caller's action fails, so none commits without its
  mail).
"""

from __future__ import annotations

import dataclasses
import json
import logging

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from lindos.config import is_valid_address
from lindos.notifications import facts as f
from lindos.notifications import links, outbox
from lindos.notifications.compose import compose_mails
from lindos.notifications.headers import PLAIN_ADDRESS, can_carry
from lindos.notifications.mailtypes import (
    dedupe_scope,
    load_facts,
    must_tell_someone,
    recipients_for,
    repository_id,
)
from lindos.notifications.models import PendingNotification
from lindos.notifications.outbox import enqueue_mails
from lindos.notifications.recipients import fallback_recipients
from lindos.notifications.sender import current_instance_title

log = logging.getLogger(__name__)


def readers(repository_id: int, user_ids) -> set[int]:
    """The users among `user_ids` who may read the repository."""
    from lindos.repos.permissions import filter_readers

    return set(filter_readers(repository_id, user_ids))


def event_summary(event) -> str:
    """The event as JSON, with links and tokens left out (they may grant access)."""
    data = json.loads(event.to_json())
    for key in data:
        if "url" in key or "token" in key or "password" in key:
            data[key] = "[redacted]"
    return json.dumps(data, sort_keys=True)


class Gone(Exception):
    """What the event is about no longer exists."""


def load(event):
    """(facts, None), or (UndeliverableFacts, why) when loading failed;
    raises ``Gone`` when the event's object was deleted."""
    try:
        with transaction.atomic():
            return load_facts(event), None
    except ObjectDoesNotExist as exc:
        raise Gone(f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        log.exception("loading facts for %s failed", type(event).__name__)
        why = f"loading the facts failed: {type(exc).__name__}: {exc}"
        return f.UndeliverableFacts(
            event_name=type(event).__name__, event_summary=event_summary(event), error=why
        ), why


def drop_non_readers(facts, rows):
    repo_id = repository_id(facts)
    if repo_id is None:
        return rows
    with transaction.atomic():
        allowed = readers(repo_id, [r.user_id for r in rows if r.user_id is not None])
    kept = []
    for r in rows:
        if r.user_id is None or r.user_id in allowed:
            kept.append(r)
        else:
            log.info("not mailing user %s about repository %s: no read access", r.user_id, repo_id)
    return kept


def drop_invalid_addresses(rows):
    kept = []
    for r in rows:
        if PLAIN_ADDRESS.fullmatch(r.address) or (is_valid_address(r.address) and can_carry(r.address)):
            kept.append(r)
        else:
            log.warning("skipping %s (user %s): invalid email address %r", r.reason, r.user_id, r.address)
    return kept


def resolve(facts):
    """(recipients, None), or ([], why) when resolving them failed."""
    try:
        rows = drop_non_readers(facts, recipients_for(facts))
    except Exception as exc:
        log.exception("resolving recipients for %s failed", type(facts).__name__)
        return [], f"resolving the recipients failed: {type(exc).__name__}: {exc}"
    return drop_invalid_addresses(rows), None


def fallback(config):
    with transaction.atomic():
        admins = f.admins()
    return drop_invalid_addresses(fallback_recipients(admins, config.email_to))


def with_base_url(event, config=None):
    """`event` carrying the base its mail's links use, decided now, at the
    action (``links``), unless the caller already gave one."""
    if event.base_url:
        return event
    return dataclasses.replace(event, base_url=links.action_base_url(config))


def notify(event, *, config=None) -> int:
    """Record `event` for the worker, in the caller's transaction; return the
    ``PendingNotification`` id.  Once the transaction commits the outbox
    listeners are told (with no row ids yet), so a worker expands and
    delivers it at once."""
    event = with_base_url(event, config)
    now = timezone.now()
    row = PendingNotification.objects.create(
        event_type=type(event).__name__, event=event.to_json(), next_attempt_at=now, created_at=now
    )
    transaction.on_commit(lambda: outbox.announce([]))
    return row.pk


def notify_now(event, *, config=None) -> list[int]:
    """Record the mails `event` causes right away, in the caller's
    transaction, and return the outbox row ids (the test mail, whose sender
    waits for the SMTP server's answer)."""
    return record_mails(with_base_url(event, config), config=config)


def record_mails(
    event,
    *,
    config=None,
    scope: str | None = None,
    now=None,
    created_at=None,
    announce_on_commit: bool = True,
) -> list[int]:
    """Write the outbox rows for `event` in the current transaction; return
    their ids.  `scope` names the event for the dedupe keys when it has no
    natural identity (``dedupe_scope``)."""
    config = config or settings.LINDOS
    name = type(event).__name__
    try:
        facts, why = load(event)
    except Gone as gone:
        log.warning("%s: what it is about no longer exists (%s); nobody is mailed", name, gone)
        return []
    rows = []
    if why is None:
        rows, why = resolve(facts)
        if why is None and not rows and must_tell_someone(facts):
            why = "no recipients"
    if why is not None:
        log.warning("%s: %s; sending to the administrators and email_to instead", name, why)
        rows = fallback(config)
    if not rows:
        if why is not None:
            log.error(
                "%s: no administrator or email_to address to fall back on; nobody is told (%s)", name, why
            )
        return []
    base_url = links.base_url_for(event, config)
    title = current_instance_title(config)
    try:
        mails = compose_mails(facts, rows, config, base_url=base_url, title=title)
    except Exception as exc:
        log.exception("composing the %s mail failed", name)
        facts = f.UndeliverableFacts(
            event_name=name,
            event_summary=event_summary(event),
            error=f"composing the mail failed: {type(exc).__name__}: {exc}",
            repo_id=repository_id(facts),
        )
        mails = compose_mails(facts, fallback(config), config, base_url=base_url, title=title)
    return enqueue_mails(
        mails,
        scope=dedupe_scope(event) or scope,
        now=now,
        created_at=created_at,
        announce_on_commit=announce_on_commit,
    )
