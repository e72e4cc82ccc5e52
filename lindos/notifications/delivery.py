"""Delivering the outbox: the worker side.

``deliver_due``, what workers call, first expands the notifications waiting
(``expand``) and mails repeated errors whose quiet interval has passed
(``error_mail.flush_due_error_reports``), then sends the rows that are due.

Policy:
- rows are claimed atomically (``claims``), so two workers never send
  one row;
- a claim is a lease (``lease``: ``LEASE``, 5 minutes, or 10 x
  ``smtp_timeout`` if that is longer) that the worker keeps renewing while it
  works through its batch, so a row claimed by a worker that died (SIGKILL,
  power loss) is claimable again minutes later, while a slow batch keeps its
  rows.  Before each mail goes out the worker checks, in one UPDATE on the
  row's claim token, that the claim is still its own; a row taken over by
  another worker is left to that one, never sent twice;
- one batch goes over one SMTP connection, through Django's mail framework
  (``smtp_backend``);
- a temporary failure (connection refused, timeout, TLS or login trouble,
  a 4xx reply) is retried with exponential backoff until
  ``email_retry_seconds`` after the mail was written; a permanent one
  (5xx) marks the row failed with the server's reply;
- a sent row is never sent again; nothing is dropped: without
  ``smtp_server``, or when sending fails, the whole mail (envelope, headers,
  text and HTML) is logged at WARNING and the row stays for the admin page
  (retry, discard).
"""

from __future__ import annotations

import logging
import smtplib
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_string, policy

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lindos.notifications.claims import LEASE, backoff, claim, renew_claims, still_ours
from lindos.notifications.models import OutboxMail
from lindos.notifications.outbox import announce

log = logging.getLogger(__name__)

# Django's test runner swaps settings.EMAIL_BACKEND for an in-memory one;
# the outbox always speaks SMTP (tests run a real SMTP server).
BACKEND = "lindos.notifications.smtp_backend.KallitheaSMTPBackend"
# A mail's claim lasts at least ``claims.LEASE``: opening a connection and
# sending are a handful of socket operations, each bounded by smtp_timeout
# (see ``lease``).
LEASE_PER_SMTP_TIMEOUT = 10
# Outcomes written per database transaction.  1: each sent mail is marked
# sent before the next goes out, so a worker killed mid-batch re-sends at
# most the one mail it had in flight (nothing sent twice, nothing lost).
FLUSH_EVERY = 1
# Notifications one deliver_due call may expand even with a small `limit`:
# many expand to no mail at all (a comment nobody else follows).
EXPAND_AT_LEAST = 100


@dataclass
class RowResult:
    id: int
    state: str
    reply: str = ""
    error: str = ""


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    results: list[RowResult] = field(default_factory=list)
    expanded: int = 0  # notifications expanded before sending
    lost: int = 0  # claims another worker took over: left to it

    def __str__(self):
        expanded = f"{self.expanded} notifications expanded, " if self.expanded else ""
        lost = f", {self.lost} taken over by another worker" if self.lost else ""
        return (
            f"{expanded}{self.claimed} claimed, {self.sent} sent, "
            f"{self.retrying} to retry, {self.failed} failed{lost}"
        )


class StoredMail(EmailMessage):
    """An outbox row as a Django EmailMessage: the stored bytes go out as they are."""

    def __init__(self, row: OutboxMail):
        super().__init__(from_email=row.envelope_from, to=[row.envelope_to])
        self.stored = row.message

    def message(self):
        return _Stored(self.stored)


class _Stored:
    def __init__(self, text: str):
        self.text = text

    def as_bytes(self, linesep: str = "\n") -> bytes:
        return self.text.replace("\n", linesep).encode("utf-8")

    def as_string(self, linesep: str = "\n") -> str:
        return self.text.replace("\n", linesep)


def lease(config=None) -> timedelta:
    """How old a claim may get before another worker may take the row over:
    ``LEASE``, or longer when ``smtp_timeout`` is so long that one mail
    could take that long (connect, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA:
    each may wait up to ``smtp_timeout``)."""
    config = config or settings.LINDOS
    return max(LEASE, timedelta(seconds=LEASE_PER_SMTP_TIMEOUT * config.smtp_timeout))


# --- claiming ----------------------------------------------------------------


def claim_due(limit: int, now: datetime, config=None) -> list[OutboxMail]:
    """Claim up to `limit` rows that are due, or whose claim's lease ran out."""
    due = Q(state=OutboxMail.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxMail.SENDING, claimed_at__lt=now - lease(config)
    )
    return claim(OutboxMail.objects.filter(due), limit, now, OutboxMail.SENDING)


def claim_rows(ids, now: datetime) -> list[OutboxMail]:
    ids = list(ids)
    return claim(
        OutboxMail.objects.filter(pk__in=ids, state=OutboxMail.PENDING),
        len(ids) or 1,
        now,
        OutboxMail.SENDING,
    )


# --- entry points ---------------------------------------------------------------


def deliver_due(limit: int = 500, *, now: datetime | None = None, config=None, clock=None) -> DeliveryReport:
    """What workers call: mail the repeated errors that are due, expand
    waiting notifications until about `limit` rows were written, then send
    up to `limit` rows that are due.  Rows written here but not sent in this
    call are announced to the outbox listeners (a Celery worker queues a
    task for them; the embedded worker simply goes round again).

    `now` fixes the time of the claims (default: the current time); `clock`
    gives the time as the batch goes on, for renewing them (default: the
    current time, or `now` frozen when `now` is given)."""
    from lindos.notifications.error_mail import flush_due_error_reports
    from lindos.notifications.expand import expand_pending

    now, clock = _times(now, clock)
    config = config or settings.LINDOS
    flush_due_error_reports(now=now, config=config)
    expansion = expand_pending(
        limit=max(limit, EXPAND_AT_LEAST),
        now=now,
        config=config,
        max_mails=limit,
        announce=False,
        clock=clock,
    )
    rows = claim_due(limit, clock(), config)
    report = send_rows(rows, config, clock)
    report.expanded = expansion.expanded
    leftover = sorted(set(expansion.mail_ids) - {row.pk for row in rows})
    if leftover:
        transaction.on_commit(lambda: announce(leftover))
    return report


def deliver_rows(ids, *, now: datetime | None = None, config=None, clock=None) -> DeliveryReport:
    """Send these pending rows now, due or not (the test mail, a retry)."""
    now, clock = _times(now, clock)
    return send_rows(claim_rows(ids, now), config or settings.LINDOS, clock)


def _times(now: datetime | None, clock):
    """(now, clock): a given `now` freezes the default clock (tests)."""
    if clock is None:
        clock = (lambda: now) if now is not None else timezone.now
    return (now or clock()), clock


def retry_rows(ids, now: datetime | None = None) -> int:
    """Put failed rows back in the queue, due at once."""
    return OutboxMail.objects.filter(pk__in=list(ids), state=OutboxMail.FAILED).update(
        state=OutboxMail.PENDING,
        next_attempt_at=now or timezone.now(),
        attempts=0,
        created_at=now or timezone.now(),
    )


def discard_rows(ids) -> int:
    """Give up on pending or failed rows; they stay recorded as discarded."""
    return OutboxMail.objects.filter(
        pk__in=list(ids), state__in=[OutboxMail.PENDING, OutboxMail.FAILED]
    ).update(state=OutboxMail.DISCARDED)


# --- sending -----------------------------------------------------------------


def classify(exc: Exception) -> tuple[bool, str]:
    """(permanent?, text for last_error).  Only a 5xx reply to this very
    message is permanent; anything about the connection, TLS or login is
    the server's or the configuration's fault and worth retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()))
        return code >= 500, f"recipient refused: {code} {_text(reply)}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False, f"SMTP login failed: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPConnectError):
        return False, f"cannot connect: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        what = "sender refused" if isinstance(exc, smtplib.SMTPSenderRefused) else "refused"
        return exc.smtp_code >= 500, f"{what}: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return False, f"server disconnected: {exc}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False, f"not supported by the server: {exc}"
    if isinstance(exc, OSError):
        return False, f"cannot connect: {type(exc).__name__}: {exc}"
    return False, f"{type(exc).__name__}: {exc}"


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def send_rows(rows: list[OutboxMail], config, clock) -> DeliveryReport:
    """Send claimed rows over one connection.  Before each mail goes out the
    outcomes so far are written (each mail's before the next one goes out:
    ``FLUSH_EVERY``), the claim on this row is checked and renewed, and the
    rest of the batch's when due; a row lost is skipped.
    `clock` gives the current time (a datetime freezes it)."""
    if isinstance(clock, datetime):
        clock = (lambda frozen: lambda: frozen)(clock)
    report = DeliveryReport(claimed=len(rows))
    if not rows:
        return report
    outcomes: list[tuple[OutboxMail, str, str]] = []  # (row, "sent"|"temp"|"perm", text)
    if not config.smtp_server:
        for row in rows:
            outcomes.append(
                (row, "unconfigured", "not sent: smtp_server is not configured (the mail is in the log)")
            )
        _flush(outcomes, config, clock(), report)
        return report
    backend = get_connection(BACKEND, config=config)
    try:
        for index, row in enumerate(rows):
            due = outcomes if len(outcomes) >= FLUSH_EVERY else []
            if not _flush(due, config, clock(), report, hold=rows[index:]):
                report.lost += 1
                log.warning(
                    "mail #%s to %s was taken over by another worker; leaving it to that one",
                    row.pk,
                    row.envelope_to,
                )
                continue
            try:
                if getattr(backend, "connection", True) is None:
                    backend.open()
            except Exception as exc:
                # Nothing can go over this connection: the rest of the batch waits.
                _, text = classify(exc)
                outcomes += [(r, "temp", text) for r in rows[index:]]
                break
            try:
                backend.send_messages([StoredMail(row)])
                outcomes.append((row, "sent", getattr(backend, "last_reply", "")))
            except Exception as exc:
                permanent, text = classify(exc)
                outcomes.append((row, "perm" if permanent else "temp", text))
                if not isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
                    _close_quietly(backend)
    finally:
        _flush(outcomes, config, clock(), report)
        _close_quietly(backend)
    return report


def _close_quietly(backend) -> None:
    try:
        backend.close()
    except Exception:
        if getattr(backend, "connection", None) is not None:
            backend.connection = None


def _flush(outcomes, config, now: datetime, report: DeliveryReport, hold=()) -> bool:
    """Write the outcomes of sent or failed rows, then forget them.  With
    `hold` (the next row to send, then the rest of the batch), also check
    and renew our claim on the next row, and renew the rest when due; True
    when the next row is still ours, so it may be sent.

    In the middle of a batch this is one outcome and one claim: two
    single-row UPDATEs that stand on their own, so each commits by itself
    (a transaction around them would add two round trips to every mail on a
    database server).  Several outcomes, at the end of a batch, are written
    in one transaction."""
    with transaction.atomic() if len(outcomes) > 1 else nullcontext():
        for row, kind, text in outcomes:
            _record(row, kind, text, config, now, report)
        outcomes.clear()
    if not hold:
        return True
    renew_claims(OutboxMail, hold[1:], OutboxMail.SENDING, now)
    return still_ours(OutboxMail, hold[0], OutboxMail.SENDING, now)


def _record(row, kind, text, config, now, report) -> None:
    mine = OutboxMail.objects.filter(pk=row.pk, claim_token=row.claim_token)
    attempts = row.attempts + 1
    if kind == "sent":
        if not mine.update(
            state=OutboxMail.SENT, sent_at=now, attempts=attempts, last_reply=text, last_error=""
        ):
            # Only a single mail outlasting the lease gets here.
            log.warning(
                "mail #%s to %s was sent, but another worker had taken it over "
                "meanwhile: it may arrive twice",
                row.pk,
                row.envelope_to,
            )
        report.sent += 1
        report.results.append(RowResult(row.pk, OutboxMail.SENT, reply=text))
        return
    deadline = row.created_at + timedelta(seconds=config.email_retry_seconds)
    if kind == "temp" and now < deadline:
        state, next_at = OutboxMail.PENDING, min(now + backoff(attempts), deadline)
    else:
        state, next_at = OutboxMail.FAILED, now
        if kind == "temp":
            text = f"gave up after {attempts} attempts: {text}"
    if not mine.update(state=state, next_attempt_at=next_at, attempts=attempts, last_error=text):
        report.lost += 1  # another worker has it now: its outcome counts
        return
    if state == OutboxMail.PENDING:
        report.retrying += 1
    else:
        report.failed += 1
    report.results.append(RowResult(row.pk, state, error=text))
    if row.attempts == 0 or state == OutboxMail.FAILED:
        log_full_mail(row, text)
    else:
        log.warning(
            "mail #%s to %s not sent (attempt %s, next at %s): %s",
            row.pk,
            row.envelope_to,
            attempts,
            next_at.isoformat(),
            text,
        )


def describe(row: OutboxMail) -> str:
    """The whole mail, readable: envelope, decoded headers, text and HTML."""
    msg = message_from_string(row.message, policy=policy.default)
    lines = [f"Envelope-From: {row.envelope_from}", f"Envelope-To: {row.envelope_to}"]
    lines += [
        f"{name}: {value}"
        for name, value in msg.items()
        if not name.lower().startswith(("content-", "mime-"))
    ]
    for subtype in ("plain", "html"):
        part = msg.get_body((subtype,))
        if part is not None:
            lines += ["", f"--- {subtype} body ---", part.get_content().rstrip("\n")]
    return "\n".join(lines)


def log_full_mail(row: OutboxMail, why: str) -> None:
    log.warning(
        "mail #%s (%s) to %s not sent: %s\n%s", row.pk, row.mail_type, row.envelope_to, why, describe(row)
    )
