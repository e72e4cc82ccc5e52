"""Composing whole mails from names an attacker chose: each mail has
exactly one From and one To address, the ones Lindos meant, and the names
come back as typed (made one line)."""

from dataclasses import replace
from email import message_from_string, policy

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from lindos.notifications import facts as f
from lindos.notifications.compose import compose_mails
from lindos.notifications.headers import clean_header_text
from lindos.notifications.recipients import Recipient
from tests.notifications import factories as x

FORGED = "IT Security <security@victim.example>,"
LONG_LAST = "Departmentofinformationtechnologysecurityoperations Team"


def parsed(mail):
    return message_from_string(mail.message, policy=policy.default)


def only_address(header):
    assert len(header.addresses) == 1, [str(a) for a in header.addresses]
    [address] = header.addresses
    return address.display_name, address.addr_spec


@pytest.fixture
def config(settings):
    return replace(
        settings.LINDOS,
        app_email_from="Lindos <lindos@example.org>",
        canonical_url="https://code.example.org",
    )


def test_a_first_name_cannot_forge_the_from_address(config):
    """The attack of the hardening issue: a first name holding an address
    and a comma, a long last name; folding used to drop the quotes."""
    actor = replace(x.BOB, full_name=f"{FORGED} {LONG_LAST}")
    [mail] = compose_mails(x.cs_comment(actor=actor), [Recipient(1, "alice@example.com", "r")], config)
    assert only_address(parsed(mail)["From"]) == (f"{FORGED} {LONG_LAST} (no-reply)", "lindos@example.org")


def test_a_recipient_name_cannot_add_a_to_address(config):
    to = Recipient(1, "alice@example.com", "r", f"{FORGED} {LONG_LAST}")
    [mail] = compose_mails(x.cs_comment(), [to], config)
    assert only_address(parsed(mail)["To"]) == (f"{FORGED} {LONG_LAST}", "alice@example.com")


@pytest.mark.parametrize(
    "name",
    [
        "=?utf-8?q?x=0Ay?=",
        "=?utf-8?b?eAp5?=",
        "a=?utf-8?q?=0D?=b",
        "=?iso-8859-1?q?=0A?= Smith",
        '"=?utf-8?q?x=0Ay?="',
    ],
)
def test_a_name_that_looks_encoded_is_sent_as_text(config, name):
    """It used to be decoded into a line break, and composing failed."""
    actor = replace(x.BOB, full_name=name)
    [mail] = compose_mails(x.cs_comment(actor=actor), [Recipient(1, "alice@example.com", "r", name)], config)
    message = parsed(mail)
    assert only_address(message["From"]) == (f"{name} (no-reply)", "lindos@example.org")
    assert only_address(message["To"]) == (name, "alice@example.com")


def test_a_very_long_name_is_cut_and_keeps_no_reply(config):
    actor = replace(x.BOB, full_name="Ä" * 400)
    [mail] = compose_mails(x.cs_comment(actor=actor), [Recipient(1, "a@example.com", "r")], config)
    name, address = only_address(parsed(mail)["From"])
    assert address == "lindos@example.org" and name.endswith("\u2026 (no-reply)")
    assert max(len(line) for line in mail.message.split("\n")) <= 998


def test_the_outbox_subject_is_the_header_text(config):
    pr = replace(x.PR, title="=?utf-8?q?x=0Ay?= <b>Grüße</b>\tand  more")
    [mail] = compose_mails(x.pr_comment(pull_request=pr), [Recipient(1, "a@example.com", "r")], config)
    assert str(parsed(mail)["Subject"]) == mail.subject
    assert '"=?utf-8?q?x=0Ay?= <b>Grüße</b> and more"' in mail.subject


# Names as users type them: any characters but surrogates (which no
# database stores), any length a first and a last name can have.
names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=301)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actor_name=names, recipient_name=names, title=names)
def test_any_names_make_one_from_and_one_to(config, actor_name, recipient_name, title):
    actor = replace(x.BOB, full_name=actor_name)
    facts = x.pr_comment(actor=actor, pull_request=replace(x.PR, title=title))
    [mail] = compose_mails(facts, [Recipient(1, "alice@example.com", "r", recipient_name)], config)
    mail.message.encode("ascii")
    message = parsed(mail)
    assert not message.defects
    from_name, from_address = only_address(message["From"])
    assert from_address == "lindos@example.org"
    if clean_header_text(actor_name) and len(clean_header_text(actor_name)) <= 139:
        assert from_name == clean_header_text(actor_name) + " (no-reply)"
    to_name, to_address = only_address(message["To"])
    assert to_address == "alice@example.com"
    if len(clean_header_text(recipient_name)) <= 150:
        assert to_name == clean_header_text(recipient_name)
    assert str(message["Subject"]) == mail.subject
    assert [k for k in message.keys() if k in ("From", "To", "Subject", "Bcc", "Cc")] == [
        "To",
        "From",
        "Subject",
    ]


def test_error_mail_headers_carry_the_message_as_text(config):
    """Error subjects hold exception messages, which may quote user input."""
    facts = f.ErrorFacts(
        exception_type="ValueError",
        message="bad name '=?utf-8?q?x=0Ay?=\r\nBcc: v@evil.example'",
        traceback="",
        where="GET https://code.example.org/x",
        user="anonymous",
    )
    config = replace(config, error_email_from='"Errors, =?utf-8?q?=0A?=" <errors@example.org>')
    [mail] = compose_mails(facts, [Recipient(None, "ops@example.com", "email_to")], config)
    message = parsed(mail)
    assert only_address(message["From"]) == ("Errors, =?utf-8?q?=0A?=", "errors@example.org")
    assert "Bcc" not in message
    assert str(message["Subject"]) == mail.subject
    assert mail.subject.startswith("WebApp Error: ValueError: bad name '=?utf-8?q?x=0Ay?=")


def test_test_mail_names_its_sender(config):
    facts = f.TestMailFacts(
        address="postmaster@example.com", actor=replace(x.ALICE, full_name=f"{FORGED} {LONG_LAST}")
    )
    [mail] = compose_mails(facts, [Recipient(None, "postmaster@example.com", "test mail")], config)
    message = parsed(mail)
    assert only_address(message["From"])[1] == "lindos@example.org"
    assert only_address(message["To"]) == ("", "postmaster@example.com")


def test_each_copy_says_why_its_reader_is_told(config):
    rows = [
        Recipient(1, "alice@example.com", "changeset author"),
        Recipient(3, "carol@example.com", "mentioned"),
        Recipient(4, "dave@example.com", "mentioned"),
        Recipient(None, "x@example.com", "some reason nobody explains"),
    ]
    mails = compose_mails(x.cs_comment(), rows, config)
    texts = [parsed(m).get_body(("plain",)).get_content() for m in mails]
    assert texts[0].startswith("You get this mail because you are the author of the changeset.\n")
    assert texts[1].startswith("You get this mail because you were mentioned.\n")
    assert texts[1] == texts[2]
    assert texts[3].startswith("Bob Builder commented on changeset")
    # the subject stays the one people filter on
    assert {m.subject for m in mails} == {mails[0].subject}
    assert mails[1].subject.startswith("[Comment] group/widgets changeset")


def test_the_instance_is_named_after_app_email_from_by_default(config):
    mail = compose_mails(
        f.PasswordChangedFacts(user=x.BOB),
        [Recipient(2, "bob@example.com", "account owner")],
        replace(config, app_email_from="Acme Code <code@acme.example>"),
    )[0]
    text = parsed(mail).get_body(("plain",)).get_content()
    assert 'your Acme Code account "bob"' in text and "Lindos" not in text
