"""Is mail working?  What admins are told on every page (a banner) and on
Admin > Email, so that a new install without ``smtp_server`` does not fail
silently.

Policy:
- an admin marks the install as sending no mail (``mail_off``, Admin >
  Email): then nothing is said;
- otherwise, without ``smtp_server`` no mail can be sent: say so;
- otherwise, when the most recent delivery attempt did not succeed, say why
  (the error recorded on that mail) until a later mail goes out.
"""

from __future__ import annotations

from dataclasses import dataclass

EMAIL_PAGE = "/_admin/settings/email"


@dataclass(frozen=True)
class LastAttempt:
    """The most recent mail delivery was tried for, as Admin > Email shows it."""

    pk: int
    to: str
    subject: str
    state: str
    reply: str
    error: str
    when: object  # a datetime


def build_mail_problem(smtp_server: str, mail_off: bool, last: LastAttempt | None) -> str | None:
    """One sentence saying why mail is not working, or None (see module doc)."""
    if mail_off:
        return None
    if not smtp_server:
        return (
            "Mail is not set up: smtp_server is not set in the configuration file, so no "
            "mail (password resets, reviews, comments) can be sent."
        )
    if last is not None and last.state != "sent" and last.error:
        return f"The last mail (to {last.to}) could not be sent: {last.error}"
    return None


def last_attempt() -> LastAttempt | None:
    """The newest outbox mail that delivery has tried (sent or not)."""
    from lindos.notifications.models import OutboxMail

    row = (
        OutboxMail.objects.filter(attempts__gt=0)
        .order_by("-pk")
        .only("envelope_to", "subject", "state", "last_reply", "last_error", "sent_at", "next_attempt_at")
        .first()
    )
    if row is None:
        return None
    return LastAttempt(
        pk=row.pk,
        to=row.envelope_to,
        subject=row.subject,
        state=row.state,
        reply=row.last_reply,
        error=row.last_error,
        when=row.sent_at or row.next_attempt_at,
    )


def mail_problem(config, app_settings) -> str | None:
    return build_mail_problem(
        config.smtp_server, app_settings.mail_off, None if app_settings.mail_off else last_attempt()
    )


def mail_banner(request) -> dict:
    """Context processor: ``mail_banner`` for admins when mail is not
    working (one small query per admin page; nothing for anyone else)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_superuser:
        return {}
    from django.conf import settings
    from django.db import DatabaseError

    from lindos.appsettings.current import current_app_settings

    try:
        problem = mail_problem(
            settings.LINDOS, getattr(request, "app_settings", None) or current_app_settings()
        )
    except DatabaseError:
        return {}
    return {"mail_banner": problem, "mail_page": EMAIL_PAGE} if problem else {}


def sends_no_mail(config, app_settings) -> bool:
    """True when no mail can go out at all (unconfigured, or marked off)."""
    return not config.smtp_server or app_settings.mail_off
