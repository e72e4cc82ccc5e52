"""``compose.build_message`` writes the MIME frame itself: its output must
be, byte for byte, what the email package makes of the same headers and
bodies.  The golden files cover the ordinary mails; these cover the
awkward input (non-ASCII, long and CR/LF-laden lines, trailing spaces,
"=" and "From " at line starts, empty bodies).  Headers with user text are
not the email package's (``headers``, ``test_headers``), but ordinary ones
come out the same."""

import hashlib
from datetime import UTC, datetime, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from lindos.notifications import headers as h
from lindos.notifications.compose import build_message, trusted_header
from lindos.notifications.sender import from_mailbox

NOW = format_datetime(datetime(2024, 5, 17, 9, 30, tzinfo=UTC))


def email_package_message(headers, text, html):
    """The reference: how build_message used to build every mail."""
    msg = EmailMessage(policy=policy.default)
    for name, value in headers:
        msg[name] = value
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    digest = hashlib.sha256((text + html).encode()).hexdigest()[:24]
    msg.set_boundary(f"===============lindos{digest}==")
    return msg.as_string()


# Ordinary headers, which the email package writes well: the same bytes.
SUBJECTS = [
    "Test email",
    '[lindos] [Approved: Comment] group/widgets PR #12 "Make the widgets configurable" '
    "from feature-config by bob",
    "",
]

SENDERS = [
    ("Lindos <lindos@example.org>", None),
    ("lindos@example.org", "Alice Liddell"),
    ("Lindos <lindos@example.org>", "Jürgen Müller-Lüdenscheidt"),
    ("Lindos <lindos@example.org>", 'Bob "the builder", Jr.'),
]

TEXTS = [
    "",
    "plain\n",
    "no final line break",
    "CRLF\r\nline ends\r\nand a lone CR\rhere\n",
    "trailing space \nand tab\t\n=equals= and From the start\nFrom me\n.\n..\n",
    "long line " * 40 + "\n" + "=" * 150 + "\n" + "x" * 75 + " \n" + "y" * 76 + "\t\n",
    "Grüße, ✓ and 😀 and \u2028 and \x85 and \x0c form feed\n",
    "-- \nSignature\n",
]

HTML = '<!DOCTYPE html>\n<p style="a:b">Hello &amp; <b>bye</b></p>\n'


def header_pairs(subject, sender, actor):
    """(name, value) as the email package is given them."""
    name, address = from_mailbox(sender, actor)
    return [
        ("Date", NOW),
        ("From", Address(display_name=name, addr_spec=address)),
        ("Subject", subject),
        ("In-Reply-To", "<lindos.pr.12@code.example.org>"),
        ("References", "<lindos.pr.12@code.example.org>"),
        ("List-Id", '"group/widgets" <group.widgets.code.example.org>'),
        ("Auto-Submitted", "auto-generated"),
        ("X-Auto-Response-Suppress", "All"),
        ("X-Kallithea-Notification-Type", "pull_request_comment"),
    ]


def header_lines(subject, sender, actor):
    """The same headers as ``compose.common_headers`` writes them."""
    name, address = from_mailbox(sender, actor)
    return "".join(
        [
            trusted_header("Date", NOW),
            h.mailbox("From", name, address),
            h.unstructured("Subject", subject),
            trusted_header("In-Reply-To", "<lindos.pr.12@code.example.org>"),
            trusted_header("References", "<lindos.pr.12@code.example.org>"),
            h.list_id("group/widgets", "group.widgets.code.example.org"),
            trusted_header("Auto-Submitted", "auto-generated"),
            trusted_header("X-Auto-Response-Suppress", "All"),
            trusted_header("X-Kallithea-Notification-Type", "pull_request_comment"),
        ]
    )


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("sender, actor", SENDERS)
def test_ordinary_headers_match_the_email_package(subject, sender, actor):
    assert build_message(header_lines(subject, sender, actor), "t\n", HTML) == email_package_message(
        header_pairs(subject, sender, actor), "t\n", HTML
    )


@pytest.mark.parametrize("text", TEXTS)
def test_bodies_match_the_email_package(text):
    lines = header_lines("Test email", "Lindos <lindos@example.org>", None)
    pairs = header_pairs("Test email", "Lindos <lindos@example.org>", None)
    assert build_message(lines, text, HTML) == email_package_message(pairs, text, HTML)
    assert build_message(lines, HTML, text) == email_package_message(pairs, HTML, text)


def test_a_line_break_in_a_trusted_header_is_refused_like_the_email_package():
    for value in ("<a@b>\nBcc: victim@example.com", "<a@b>\r\nX: y", "a\rb"):
        with pytest.raises(ValueError):
            email_package_message([("References", value)], "t", "h")
        with pytest.raises(ValueError):
            trusted_header("References", value)
