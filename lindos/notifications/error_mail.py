"""Error emails: an unhandled exception, mailed to ``email_to``.

Kallithea's contract (docs/usage/email.rst): exception details go to the
``email_to`` addresses, from ``error_email_from``, unless ``debug = true``
(then Django's interactive technical 500 page shows instead).  Lindos does
better than Kallithea's middleware in two ways:

- no secrets: the mail carries the exception, the traceback (no local
  variables), method, URL, user and an allow-listed request environment,
  redacted by the rules in ``redaction`` (secret-looking headers and
  parameters, tokens in paths and referrers, the request body's values,
  and every known secret value wherever it would appear);
- no floods: one kind of error (type and innermost frame) is mailed at most
  once per ``error_email_interval_seconds``, with the number of times it
  happened since the last mail.  Repeats during the quiet interval are not
  forgotten: once it has passed, ``flush_due_error_reports`` (called by the
  worker's ``delivery.deliver_due``) mails their count with the details of
  the latest one, whether or not the error happens again.

Error mails go through the outbox like every other mail, with no
``X-Kallithea-Notification-Type`` (they are not application mails).
Requests are hooked through Django's ``got_request_exception`` signal
(``apps.py``); background tasks call ``report_task_exception(exc, name)``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from lindos.notifications import facts as f
from lindos.notifications.compose import compose_mails
from lindos.notifications.outbox import enqueue_mails
from lindos.notifications.recipients import Recipient
from lindos.notifications.redaction import (  # noqa: F401
    MASK,
    body_values,
    format_traceback,
    redact_params,
    request_environment,
    request_secrets,
    scrub,
)

log = logging.getLogger(__name__)


def known_secrets(request=None, config=None) -> list[str]:
    """Values that must never appear in an error mail (``redaction``)."""
    config = config or settings.LINDOS
    values = [
        config.smtp_password,
        config.secret_key,
        settings.DATABASES.get("default", {}).get("PASSWORD", ""),
    ]
    if request is not None:
        values += request_secrets(request)
    # Longest first, so a secret containing another is masked whole.
    return sorted({v for v in values if v and len(v) >= 4}, key=len, reverse=True)


def signature(exc: BaseException) -> str:
    """One kind of error: its type and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return hashlib.sha256(f"{type(exc).__module__}.{type(exc).__qualname__}@{where}".encode()).hexdigest()


def count_and_decide(sig: str, summary: str, interval: int, now, details: str = "") -> int:
    """Count this occurrence; return how many to report now (0: stay quiet).
    `details` (the redacted facts as JSON) are kept for a later mail."""
    from lindos.notifications.models import ErrorReport

    report, _ = ErrorReport.objects.select_for_update().get_or_create(
        signature=sig, defaults={"summary": summary[:500], "first_seen": now, "last_seen": now}
    )
    report.total += 1
    report.unmailed += 1
    report.last_seen = now
    report.last_details = details
    count = 0
    if report.last_mailed_at is None or now - report.last_mailed_at >= timedelta(seconds=interval):
        count, report.unmailed, report.last_mailed_at = report.unmailed, 0, now
    report.save()
    return count


def describe_user(request) -> str:
    user = getattr(request, "user", None)
    try:
        if user is not None and user.is_authenticated:
            return f"{user.username} (id {user.pk})"
    except Exception:
        return "(unknown: the user could not be loaded)"
    return "anonymous"


def request_where(request) -> str:
    try:
        url = request.build_absolute_uri()
    except Exception:
        url = request.META.get("PATH_INFO", "?")
    return f"{request.method} {url}"


def report_exception(
    exc: BaseException, *, where: str, user: str, environment=(), secrets=(), body=(), config=None
) -> list[int]:
    """Queue an error mail about `exc` (if due); return the outbox row ids.
    `secrets` are masked everywhere, `body` (the request body's values) in
    the exception's messages (``redaction``)."""
    config = config or settings.LINDOS
    if config.debug or not config.email_to:
        return []
    secrets = list(secrets) or known_secrets(config=config)
    facts = f.ErrorFacts(
        exception_type=f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix("builtins."),
        message=scrub(scrub(str(exc), secrets), body),
        traceback=format_traceback(exc, secrets, body),
        where=scrub(where, secrets),
        user=user,
        environment=tuple((k, scrub(v, secrets)) for k, v in environment),
        interval_seconds=config.error_email_interval_seconds,
    )
    try:
        with transaction.atomic():
            count = count_and_decide(
                signature(exc),
                f"{facts.exception_type}: {facts.message}",
                config.error_email_interval_seconds,
                timezone.now(),
                details=facts_to_json(facts),
            )
            if not count:
                return []
            return mail_error(dataclasses.replace(facts, count=count), config)
    except Exception:
        log.exception("could not queue the error mail about %s", facts.exception_type)
        return []


def facts_to_json(facts: f.ErrorFacts) -> str:
    return json.dumps(dataclasses.asdict(facts))


def facts_from_json(text: str) -> f.ErrorFacts:
    data = json.loads(text)
    data["environment"] = tuple(tuple(pair) for pair in data.get("environment", ()))
    return f.ErrorFacts(**data)


def mail_error(facts: f.ErrorFacts, config) -> list[int]:
    rows = [Recipient(None, address, "email_to") for address in config.email_to]
    return enqueue_mails(compose_mails(facts, rows, config))


def flush_due_error_reports(*, now=None, config=None) -> list[int]:
    """Mail the repeats counted during a quiet interval that has now passed,
    one mail per kind of error with the count and the latest occurrence's
    details; return the outbox row ids.  Never raises (the worker calls it
    on every round)."""
    from lindos.notifications.models import ErrorReport

    config = config or settings.LINDOS
    if config.debug or not config.email_to:
        return []
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=config.error_email_interval_seconds)
    ids: list[int] = []
    try:
        due = ErrorReport.objects.filter(unmailed__gt=0, last_mailed_at__lte=cutoff).order_by("pk")
        for report in list(due[:100]):
            with transaction.atomic():
                # Only if nobody counted or mailed it since we read it (another
                # worker, a new occurrence): else the next round looks again.
                if not ErrorReport.objects.filter(
                    pk=report.pk, unmailed=report.unmailed, last_mailed_at=report.last_mailed_at
                ).update(unmailed=0, last_mailed_at=now):
                    continue
                facts = (
                    facts_from_json(report.last_details)
                    if report.last_details
                    else f.ErrorFacts(
                        exception_type=report.summary.partition(":")[0],
                        message=report.summary.partition(": ")[2],
                        traceback="",
                        where="(details not recorded)",
                        user="",
                    )
                )
                facts = dataclasses.replace(
                    facts, count=report.unmailed, interval_seconds=config.error_email_interval_seconds
                )
                ids += mail_error(facts, config)
    except (InterfaceError, OperationalError) as exc:
        # A database down or restarting is an outage, not a bug: the counts
        # stay and the next round mails them (the worker warns the same way).
        log.warning(
            "could not mail the repeated errors: database unavailable (%s)", " ".join(str(exc).split())
        )
    except Exception:
        log.exception("could not mail the repeated errors")
    return ids


def report_request_exception(request, exc: BaseException) -> list[int]:
    secrets = known_secrets(request)
    try:
        body = body_values(request)
    except Exception:
        body = []  # an unreadable body: nothing of it is in the mail either
    return report_exception(
        exc,
        where=request_where(request),
        user=describe_user(request),
        environment=request_environment(request),
        secrets=secrets,
        body=body,
    )


def report_task_exception(exc: BaseException, task_name: str = "background task") -> list[int]:
    """For background work: mail `exc` like a request's error.  Call it
    outside the task's transaction (a rolled-back one would take the mail)."""
    return report_exception(exc, where=f"task {task_name}", user="(background task)")


def on_request_exception(sender, request=None, **kwargs) -> None:
    """``got_request_exception`` receiver; never raises."""
    import sys

    exc = sys.exc_info()[1]
    if exc is None or request is None:
        return
    try:
        report_request_exception(request, exc)
    except Exception:
        log.exception("error mail failed")
