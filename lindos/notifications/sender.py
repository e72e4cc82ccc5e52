"""Who a mail is from.

Kallithea's rule (docs/usage/email.rst): ``app_email_from`` is either an
address or ``Name <address>``.  A mail caused by a user's action is from
``"<Full Name or username> (no-reply)" <address of app_email_from>``, any
name in the setting being disregarded; other mails use the setting as it is.
The envelope sender is always the bare address.

Names are user input: ``headers.mailbox`` writes them (quoted or encoded
whatever their length and characters), so a name can neither start a new
header nor add an address.
"""

from __future__ import annotations

from email.utils import parseaddr

from lindos.notifications.headers import MAX_NAME, clean_header_text, shorten_name

__all__ = ["clean_header_text", "envelope_sender", "from_mailbox"]

NO_REPLY = " (no-reply)"


def envelope_sender(app_email_from: str) -> str:
    """The bare address of ``app_email_from`` (MAIL FROM)."""
    return parseaddr(app_email_from)[1]


def from_mailbox(app_email_from: str, actor_name: str | None = None) -> tuple[str, str]:
    """(display name, address) of the ``From`` header of a mail, caused by
    `actor_name` if given."""
    name, address = parseaddr(app_email_from)
    if actor_name is not None and clean_header_text(actor_name):
        # Cut here, so that a long name keeps its "(no-reply)".
        name = shorten_name(actor_name, MAX_NAME - len(NO_REPLY)) + NO_REPLY
    return clean_header_text(name), address


# The site title's factory default (``AppSettings.title``): as long as an
# admin has not chosen another, mail names the instance after
# ``app_email_from``'s name, as Kallithea's mails did.
DEFAULT_TITLE = "Lindos"


def instance_title(site_title: str, app_email_from: str) -> str:
    """The name mail gives this instance: the site title an admin set,
    else the name in ``app_email_from``, else the site title as it is."""
    site_title = clean_header_text(site_title or "")
    if site_title and site_title != DEFAULT_TITLE:
        return site_title
    return clean_header_text(parseaddr(app_email_from)[0]) or site_title or DEFAULT_TITLE


def current_instance_title(config) -> str:
    """``instance_title`` with the site title as currently stored (read again
    at most every ``appsettings.current.REFRESH_SECONDS``)."""
    from django.db import DatabaseError, transaction

    from lindos.appsettings.current import current_app_settings, refresh_if_stale

    # In a savepoint: a failed read must not break the transaction that
    # writes the mails; the copy this process has then stands.
    try:
        with transaction.atomic():
            title = refresh_if_stale().title
    except DatabaseError:
        title = current_app_settings().title
    return instance_title(title, config.app_email_from)
