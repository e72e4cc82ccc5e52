"""Composing mails: facts and recipients in, complete RFC 5322 messages out.

One mail per recipient, so addresses are never shown to each other.  The
bodies and the shared headers are built once per event and reason (the
body says why its reader is told) and each recipient only adds ``To`` and
its own ``Message-ID``: a notification to 500 people costs a rendering or
two.

Headers on every mail: Message-ID, Date, From, To, Subject, Auto-Submitted
(RFC 3834: no auto-replies, no loops), X-Auto-Response-Suppress: All (the
same for Exchange), X-Kallithea-Notification-Type; for mails about a
repository also List-Id, and for a changeset or pull request In-Reply-To
and References to its thread root (``threads``).  Messages are 7-bit:
headers with user text (From, To, Subject, List-Id) are written by
``headers`` (quoted or RFC 2047 encoded, never parsed), bodies are
quoted-printable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy, quoprimime
from email.utils import format_datetime
from functools import lru_cache

from lindos.notifications import headers, threads
from lindos.notifications.mailtypes import MailType, for_facts, subject_for
from lindos.notifications.recipients import Recipient, why
from lindos.notifications.render import render_bodies
from lindos.notifications.sender import envelope_sender, from_mailbox, instance_title

POLICY = policy.default  # linesep "\n" in storage; delivery sends CRLF


@dataclass(frozen=True)
class ComposedMail:
    mail_type: str
    notification_type: str
    user_id: int | None
    reason: str
    envelope_from: str
    envelope_to: str
    subject: str
    message: str


# The sender setting and the actor's name repeat from mail to mail (and
# ``headers`` caches the lines written from them).
_from = lru_cache(maxsize=1024)(from_mailbox)
_envelope_sender = lru_cache(maxsize=16)(envelope_sender)


def trusted_header(name: str, value: str) -> str:
    """A header whose value Lindos built from ids, dates and settings, not
    from user text (Date, Message-ID, In-Reply-To, ...): written as it is.
    A line break is refused, as the email package would.  A value too long
    for a line goes on the next one, as the email package folds it (these
    are structured headers: the space before the value means nothing)."""
    if "\n" in value or "\r" in value:
        raise ValueError(f"a line break in the {name} header: {value!r}")
    if len(name) + 2 + len(value) > headers.MAX_LINE and " " not in value:
        return f"{name}:\n {value}\n"
    return f"{name}: {value}\n"


def references(ids: list[str]) -> str:
    """The References header, one id per line (folded: two ids do not fit
    in 78 characters)."""
    for mid in ids:
        trusted_header("References", mid)  # refuses a line break
    return "References: " + "\n ".join(ids) + "\n"


def common_headers(
    mail_type: MailType, facts, config, subject: str, date: datetime, notification_type: str | None
) -> str:
    """The header lines every recipient's copy shares."""
    host = threads.mail_host(config.canonical_url, config.app_email_from)
    actor = mail_type.actor(facts)
    from_name, from_addr = _from(
        getattr(config, mail_type.sender_setting), actor.display_name if actor else None
    )
    lines = [
        trusted_header("Date", format_datetime(date)),
        headers.mailbox("From", from_name, from_addr),
        headers.unstructured("Subject", subject),
    ]
    thread = mail_type.thread(facts, host)
    if thread:
        # The nearest parent (an inline comment's line) is replied to; the
        # root comes first in References (RFC 5322 section 3.6.4).
        lines += [trusted_header("In-Reply-To", thread[-1]), references(thread)]
    repo = getattr(facts, "repo", None)
    if repo is not None:
        lines.append(headers.list_id(repo.name, threads.list_label(repo.name, host)))
    lines += [
        trusted_header("Auto-Submitted", "auto-generated"),
        trusted_header("X-Auto-Response-Suppress", "All"),
    ]
    if notification_type:
        lines.append(trusted_header("X-Kallithea-Notification-Type", notification_type))
    return "".join(lines)


def build_message(header_lines: str, text: str, html: str) -> str:
    """Header lines and a multipart/alternative text + HTML body, as 7-bit
    text.

    Below the headers, the bytes are those of the email package's
    ``EmailMessage`` with ``set_content(text)``, ``add_alternative(html)``
    (both utf-8, quoted-printable) and ``as_string()``, written here without
    building the message object: each body is encoded by the same function,
    and only the MIME frame (constant apart from the boundary) is written
    directly.  That is about ten times faster, and a single-recipient
    notification pays it in full.  ``tests/notifications/test_mime.py``
    checks the equality against the email package on awkward input.
    `header_lines` (from ``common_headers``) hold no MIME-Version or
    Content-* header (the frame writes those)."""
    # A boundary derived from the content keeps output reproducible (golden
    # files); "=" runs cannot occur in quoted-printable text.
    boundary = "===============lindos" + hashlib.sha256((text + html).encode()).hexdigest()[:24] + "=="
    return "".join(
        [
            header_lines,
            "MIME-Version: 1.0\n",
            f'Content-Type: multipart/alternative;\n boundary="{boundary}"\n',
            f"\n--{boundary}\n",
            'Content-Type: text/plain; charset="utf-8"\n',
            "Content-Transfer-Encoding: quoted-printable\n\n",
            quoted_printable(text),
            f"\n--{boundary}\n",
            'Content-Type: text/html; charset="utf-8"\n',
            "Content-Transfer-Encoding: quoted-printable\n",
            # add_alternative makes the HTML part an EmailMessage of its own,
            # which adds the header: kept for byte-identical output.
            "MIME-Version: 1.0\n\n",
            quoted_printable(html),
            f"\n--{boundary}--\n",
        ]
    )


def quoted_printable(body: str) -> str:
    """`body` as ``set_content(..., charset="utf-8", cte="quoted-printable")``
    stores it: line ends made "\\n" (CR, LF and CRLF alike, as
    ``bytes.splitlines`` sees them), a final one added, then encoded."""
    lines = body.encode("utf-8").splitlines()
    return quoprimime.body_encode((b"\n".join(lines) + b"\n").decode("latin-1"), POLICY.max_line_length)


def per_recipient_headers(message_id: str, to_name: str, to_address: str) -> str:
    # Message ids are built by ``threads`` from hex and a host name: plain ASCII.
    return f"Message-ID: {message_id}\n" + headers.mailbox("To", to_name, to_address)


def compose_mails(
    facts,
    recipients: list[Recipient],
    config,
    *,
    now: datetime | None = None,
    message_id: Callable[[Recipient], str] | None = None,
    notification_type: str | None = "default",
    base_url: str | None = None,
    title: str | None = None,
) -> list[ComposedMail]:
    """One complete message per recipient.  `now` and `message_id` are
    injectable so golden files are reproducible.  Links are built on
    `base_url` (decided at the action, ``links``), else ``canonical_url``;
    the instance is named `title` (default: ``app_email_from``'s name).
    Recipients told for the same reason share one rendering."""
    mail_type = for_facts(facts)
    if notification_type == "default":
        notification_type = mail_type.header
    host = threads.mail_host(config.canonical_url, config.app_email_from)
    title = title or instance_title("", config.app_email_from)
    # As the Subject header carries it (and the outbox row shows it).
    subject = headers.clean_header_text(subject_for(facts, config.email_prefix))
    date = now or datetime.now(UTC)
    head = common_headers(mail_type, facts, config, subject, date, notification_type)
    shared: dict[str, str] = {}
    sender = _envelope_sender(getattr(config, mail_type.sender_setting))
    mails = []
    for r in recipients:
        because = why(r.reason)
        if because not in shared:
            text, html = render_bodies(facts, base_url or config.canonical_url, title=title, why=because)
            shared[because] = build_message(head, text, html)
        mid = message_id(r) if message_id else threads.new_message_id(host)
        mails.append(
            ComposedMail(
                mail_type=mail_type.name,
                notification_type=notification_type or "",
                user_id=r.user_id,
                reason=r.reason,
                envelope_from=sender,
                envelope_to=r.address,
                subject=subject,
                message=per_recipient_headers(mid, r.name, r.address) + shared[because],
            )
        )
    return mails
