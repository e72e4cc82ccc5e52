"""Who a mail is from.

Kallithea's rule (docs/usage/email.rst): ``app_email_from`` is either an
address or ``Name <address>``.  A mail caused by a user's action is from
``"<Full Name or username> (no-reply)" <address of app_email_from>``, any
name in the setting being disregarded; other mails use the setting as it is.
The envelope sender is always the bare address.

Names are user input: they are cleaned of control characters and handed to
``email.headerregistry.Address``, so quotes are escaped and non-ASCII is
RFC 2047 encoded by the email package; a name can never start a new header.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.utils import parseaddr

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def clean_header_text(text: str) -> str:
    """`text` on one line: control characters (CR, LF, TAB, NUL...) become
    one space, runs of spaces collapse, ends are trimmed."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def envelope_sender(app_email_from: str) -> str:
    """The bare address of ``app_email_from`` (MAIL FROM)."""
    return parseaddr(app_email_from)[1]


def from_address(app_email_from: str, actor_name: str | None = None) -> Address:
    """The ``From`` header for a mail, caused by `actor_name` if given."""
    name, address = parseaddr(app_email_from)
    if actor_name is not None and clean_header_text(actor_name):
        name = f"{clean_header_text(actor_name)} (no-reply)"
    return mailbox(name, address)


def mailbox(name: str, address: str) -> Address:
    """An Address with a cleaned display name (which may be empty)."""
    return Address(display_name=clean_header_text(name), addr_spec=address)
