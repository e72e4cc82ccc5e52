"""``compose.build_message`` writes the MIME frame itself: its output must
be, byte for byte, what the email package makes of the same headers and
bodies.  The golden files cover the ordinary mails; these cover the
awkward input (non-ASCII, long and CR/LF-laden lines, trailing spaces,
"=" and "From " at line starts, empty bodies, long and encoded headers)."""

import hashlib
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from lindos.notifications.compose import build_message, fold_header
from lindos.notifications.sender import from_address

NOW = format_datetime(datetime(2024, 5, 17, 9, 30, tzinfo=timezone.utc))


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


SUBJECTS = [
    "Test email",
    "[lindos] [Approved: Comment] group/widgets PR #12 \"Make the widgets configurable\" "
    "from feature-config by bob",
    "Grüße aus Köln: naïve café",
    "=?utf-8?q?not_really_encoded?= subject",
    "x" * 200,
    "日本語のサブジェクト " * 8,
    "Tabs\tand  double  spaces",
    "",
]

SENDERS = [
    ("Lindos <lindos@example.org>", None),
    ("lindos@example.org", "Alice Liddell"),
    ("Lindos <lindos@example.org>", "Jürgen Müller-Lüdenscheidt"),
    ("Lindos <lindos@example.org>", 'Bob "the builder", Jr.'),
    ("Lindos <lindos@example.org>", "A" * 120),
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


def headers_for(subject, sender, actor):
    headers = [("Date", NOW), ("From", from_address(sender, actor)), ("Subject", subject),
               ("In-Reply-To", "<lindos.pr.12@code.example.org>"),
               ("References", "<lindos.pr.12@code.example.org>"),
               ("List-Id", '"group/wïdgets \\"x\\"" <group.w-dgets-x.code.example.org>'),
               ("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All"),
               ("X-Kallithea-Notification-Type", "pull_request_comment")]
    return headers


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("sender, actor", SENDERS)
def test_headers_match_the_email_package(subject, sender, actor):
    headers = headers_for(subject, sender, actor)
    assert build_message(headers, "t\n", HTML) == email_package_message(headers, "t\n", HTML)


@pytest.mark.parametrize("text", TEXTS)
def test_bodies_match_the_email_package(text):
    headers = headers_for("Test email", "Lindos <lindos@example.org>", None)
    assert build_message(headers, text, HTML) == email_package_message(headers, text, HTML)
    assert build_message(headers, HTML, text) == email_package_message(headers, HTML, text)


def test_a_line_break_in_a_header_value_is_refused_like_the_email_package():
    for value in ("Subject\nBcc: victim@example.com", "Subject\r\nX: y", "a\rb"):
        with pytest.raises(ValueError):
            email_package_message([("Subject", value)], "t", "h")
        with pytest.raises(ValueError):
            fold_header("Subject", value)
