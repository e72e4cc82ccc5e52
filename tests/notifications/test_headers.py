"""Headers over the wire, for every mail type: exact From, To, Subject,
type header, Message-ID, In-Reply-To, References and List-Id."""

import re
from dataclasses import replace
from email import message_from_string, policy
from email.header import decode_header, make_header

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from lindos.notifications import events as ev
from lindos.notifications import facts as f
from lindos.notifications import headers, notify
from lindos.notifications.delivery import deliver_due
from tests.notifications import factories as x
from tests.notifications.conftest import with_loader

pytestmark = pytest.mark.django_db

CS_ROOT = f"<lindos.cs.7.{x.RAW_ID}@lindos.example.com>"
PR_ROOT = "<lindos.pr.12@lindos.example.com>"
# An inline comment also names its line's thread (Kallithea's per-line id):
# In-Reply-To that line, References the root and the line.
CS_LINE = CS_ROOT.replace("@", ".line.dfb958431aba3a5a@")
CS_THREAD = f"{CS_ROOT} {CS_LINE}"
LIST_ID = '"group/widgets" <group.widgets.lindos.example.com>'
PR_SUBJECT = (
    'group/widgets PR #12 "Make the widgets configurable through the INI f..." from feature-config by bob'
)
CS_SUBJECT = (
    '[Comment] group/widgets changeset 0123456789ab "Fix the frobnicator so that it '
    'no longer explod..." on default by alice'
)

CASES = {
    "cs_comment": (
        ev.ChangesetCommented(actor_id=2, comment_id=100),
        x.cs_comment(),
        '"Bob Builder (no-reply)" <lindos-noreply@example.com>',
        CS_SUBJECT,
        CS_THREAD,
    ),
    "pull_request": (
        ev.PullRequestCreated(actor_id=2, pull_request_id=12),
        x.pr_created(),
        '"Bob Builder (no-reply)" <lindos-noreply@example.com>',
        f"[Review] {PR_SUBJECT}",
        PR_ROOT,
    ),
    "pull_request_comment": (
        ev.PullRequestCommented(actor_id=3, comment_id=200),
        x.pr_comment(status_change="Approved"),
        '"carol (no-reply)" <lindos-noreply@example.com>',
        f"[Approved: Comment] {PR_SUBJECT}",
        PR_ROOT,
    ),
}


def raw_headers(received):
    return dict(received.headers)


@pytest.mark.parametrize("kind", list(CASES))
def test_review_mail_headers(kind, smtpd, people, hand_loaded):
    event, facts, sender, subject, root = CASES[kind]
    hand_loaded(type(event), facts)
    notify(event)
    assert deliver_due().sent >= 2
    ids = set()
    for received in smtpd.messages:
        h = raw_headers(received)
        assert received.mail_from == "lindos-noreply@example.com"
        assert h["From"] == sender
        assert h["Subject"] == subject
        assert h["X-Kallithea-Notification-Type"] == kind
        assert h["In-Reply-To"] == root.split()[-1] and h["References"] == root
        assert h["List-Id"] == LIST_ID
        assert h["Auto-Submitted"] == "auto-generated"
        assert h["X-Auto-Response-Suppress"] == "All"
        assert re.fullmatch(r"<lindos\.[0-9a-f]{32}@lindos\.example\.com>", h["Message-ID"])
        assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000", h["Date"])
        assert h["To"].endswith(f"<{received.rcpt_tos[0]}>")  # one address, its own
        ids.add(h["Message-ID"])
    assert len(ids) == len(smtpd.messages)


def test_to_header_names_the_recipient(smtpd, people, hand_loaded):
    hand_loaded(ev.ChangesetCommented, x.cs_comment())
    notify(ev.ChangesetCommented(actor_id=2, comment_id=100))
    deliver_due()
    to = sorted(raw_headers(m)["To"] for m in smtpd.messages)
    assert to == [
        "Alice Liddell <alice@example.com>",
        "Dave Null <dave@example.com>",
        "carol <carol@example.com>",
    ]


@pytest.mark.parametrize(
    "event, facts, kind, subject",
    [
        (
            ev.UserRegistered(actor_id=6, user_id=6),
            f.RegistrationFacts(actor=x.FRANK, user=x.FRANK, admins=(x.ALICE,)),
            "registration",
            "New user frank registered",
        ),
        (
            ev.PasswordResetRequested(actor_id=None, user_id=1, reset_url="http://r"),
            f.PasswordResetFacts(user=x.ALICE, reset_url="http://r"),
            "message",
            "Password reset link",
        ),
        (
            ev.PasswordManagedElsewhere(actor_id=None, user_id=1, source="ldap"),
            f.PasswordManagedElsewhereFacts(user=x.ALICE, source="ldap"),
            "message",
            "Password reset request",
        ),
        (
            ev.TestMailRequested(actor_id=None, address="t@example.com"),
            f.TestMailFacts(address="t@example.com", site_title="Lindos"),
            "message",
            "Lindos test email",
        ),
    ],
)
def test_account_mail_headers(event, facts, kind, subject, smtpd, people, hand_loaded, settings):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, email_prefix="[Lindos]")
    hand_loaded(type(event), facts)
    notify(event)
    assert deliver_due().sent == 1
    h = raw_headers(smtpd.messages[0])
    assert h["Subject"] == f"[Lindos] {subject}"
    assert h["X-Kallithea-Notification-Type"] == kind
    assert "In-Reply-To" not in h and "References" not in h and "List-Id" not in h
    expected_from = (
        '"Frank Mention (no-reply)" <lindos-noreply@example.com>'
        if kind == "registration"
        else "Lindos <lindos-noreply@example.com>"
    )
    assert h["From"] == expected_from


def test_users_without_read_access_get_nothing(smtpd, people, hand_loaded):
    hand_loaded(ev.ChangesetCommented, x.cs_comment(mentioned=(x.FRANK,)))
    hand_loaded.blocked.update({x.DAVE.id, x.FRANK.id})
    notify(ev.ChangesetCommented(actor_id=2, comment_id=100))
    deliver_due()
    assert sorted(smtpd.recipients) == ["alice@example.com", "carol@example.com"]


def test_permission_check_failing_falls_back_to_admins(smtpd, people, hand_loaded, monkeypatch, caplog):
    from lindos.accounts.models import User
    from lindos.notifications import pipeline

    User.objects.filter(pk=x.ERIN.id).update(is_superuser=True)
    hand_loaded(ev.ChangesetCommented, x.cs_comment())

    def broken(repo_id, user_ids):
        raise RuntimeError("permission tables missing")

    monkeypatch.setattr(pipeline, "readers", broken)
    notify(ev.ChangesetCommented(actor_id=2, comment_id=100))
    deliver_due()
    assert sorted(smtpd.recipients) == ["erin@example.com", "ops@example.com"]
    assert "resolving the recipients failed: RuntimeError: permission tables missing" in caplog.text


NASTY = 'Mallory "The Boss"\r\nBcc: victim@evil.example\r\nX-Injected: yes Ünïcødé ☃'


def test_header_injection_yields_one_well_formed_header(smtpd, people, hand_loaded):
    actor = replace(x.BOB, full_name=NASTY)
    repo = replace(x.REPO, name='evil"\r\nBcc: victim@evil.example')
    pr = replace(x.PR, owner=actor, title=NASTY, source_branch="br\nX-Injected: yes")
    facts = x.pr_comment(
        actor=actor, repo=repo, pull_request=pr, earlier_commenters=(replace(x.DAVE, full_name=NASTY),)
    )
    hand_loaded(ev.PullRequestCommented, facts)
    notify(ev.PullRequestCommented(actor_id=2, comment_id=200))
    deliver_due()
    assert len(smtpd.messages) == 3  # alice, carol, dave: bob is the actor
    for received in smtpd.messages:
        received.data.decode("ascii")  # 7-bit clean
        names = [name for name, _ in received.headers]
        assert "Bcc" not in names and "X-Injected" not in names
        assert names == [
            "Message-ID",
            "To",
            "Date",
            "From",
            "Subject",
            "In-Reply-To",
            "References",
            "List-Id",
            "Auto-Submitted",
            "X-Auto-Response-Suppress",
            "X-Kallithea-Notification-Type",
            "MIME-Version",
            "Content-Type",
        ]
        assert received.rcpt_tos != ["victim@evil.example"]
        h = dict(received.headers)
        assert str(make_header(decode_header(h["From"]))) == (
            'Mallory "The Boss" Bcc: victim@evil.example X-Injected: yes Ünïcødé ☃ (no-reply) '
            "<lindos-noreply@example.com>"
        )
        subject = str(make_header(decode_header(h["Subject"])))
        assert subject.startswith('[Comment] evil" Bcc: victim@evil.example PR #12 "Mallory')
        assert "\r" not in subject and "\n" not in subject
        assert received.message["From"].addresses[0].addr_spec == "lindos-noreply@example.com"
    dave = [m for m in smtpd.messages if m.rcpt_tos == ["dave@example.com"]][0]
    assert dave.message["To"].addresses[0].addr_spec == "dave@example.com"
    assert dave.message["To"].addresses[0].display_name.startswith('Mallory "The Boss" Bcc:')


def test_private_repository_mail_only_reaches_readers(smtpd, people, monkeypatch):
    """The real permission check (lindos.repos.permissions.filter_readers)."""
    from lindos.accounts.models import User
    from lindos.repos.models import Repository, RepositoryPermission

    owner = User.objects.get(pk=x.ERIN.id)
    repo = Repository.objects.create(name="group/widgets", owner=owner, private=True)
    RepositoryPermission.objects.create(repository=repo, user_id=x.ALICE.id, permission="read")
    RepositoryPermission.objects.create(repository=repo, user_id=x.CAROL.id, permission="none")
    facts = x.cs_comment(repo=replace(x.REPO, id=repo.pk), mentioned=(x.FRANK,))
    with_loader(monkeypatch, ev.ChangesetCommented, lambda event: facts)
    notify(ev.ChangesetCommented(actor_id=2, comment_id=100))
    deliver_due()
    # carol (explicitly none), dave and frank (no grant on a private repo) get nothing
    assert smtpd.recipients == ["alice@example.com"]


# --- the attacks of the hardening issue, over the wire ----------------------

FORGED = "IT Security <security@victim.example>,"


def test_a_forged_first_name_gives_one_from_address(smtpd, people, hand_loaded):
    actor = replace(x.BOB, full_name=f"{FORGED} Departmentofinformationtechnology Securityteam")
    hand_loaded(ev.ChangesetCommented, x.cs_comment(actor=actor))
    notify(ev.ChangesetCommented(actor_id=2, comment_id=100))
    assert deliver_due().sent == 3
    for received in smtpd.messages:
        [sender] = received.message["From"].addresses
        assert sender.addr_spec == "lindos-noreply@example.com"
        assert sender.display_name == (f"{FORGED} Departmentofinformationtechnology Securityteam (no-reply)")


def test_a_forged_recipient_name_gives_one_to_address(smtpd, people, hand_loaded):
    dave = replace(x.DAVE, full_name=f"{FORGED} Departmentofinformationtechnology Securityteam")
    hand_loaded(ev.ChangesetCommented, x.cs_comment(open_pr_reviewers=(dave,)))
    notify(ev.ChangesetCommented(actor_id=2, comment_id=100))
    deliver_due()
    [received] = [m for m in smtpd.messages if m.rcpt_tos == ["dave@example.com"]]
    [to] = received.message["To"].addresses
    assert (to.display_name, to.addr_spec) == (dave.full_name, "dave@example.com")


def test_an_encoded_word_name_does_not_silence_the_mails(smtpd, people, hand_loaded):
    """It was decoded into a line break: every mail about the user's
    comments failed and went to the admins as undeliverable."""
    actor = replace(x.BOB, full_name="=?utf-8?q?x=0Ay?=")
    hand_loaded(ev.ChangesetCommented, x.cs_comment(actor=actor))
    notify(ev.ChangesetCommented(actor_id=2, comment_id=100))
    assert deliver_due().sent == 3
    assert sorted(smtpd.recipients) == ["alice@example.com", "carol@example.com", "dave@example.com"]
    for received in smtpd.messages:
        assert received.message["From"].addresses[0].display_name == "=?utf-8?q?x=0Ay?= (no-reply)"
        assert "Undeliverable" not in str(received.message["Subject"])


# --- the header writer, against the standard parser ---------------------------


any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
# Text made of what breaks writers: specials, quotes, encoded-word look-alikes.
tricky_text = st.lists(
    st.sampled_from(
        [
            "=?utf-8?q?x=0Ay?=",
            "=?",
            "?=",
            '"',
            "\\",
            "<a@b.example>",
            ",",
            ";",
            ":",
            "(",
            ")",
            " ",
            "  ",
            "\r\n",
            "\t",
            "Grüße",
            "日本語",
            "😀",
            "x" * 80,
            "Bcc: v@evil.example",
            "_",
            "=",
        ]
    ),
    max_size=30,
).map("".join)
names = st.one_of(any_text, tricky_text)


def parse(lines: str):
    lines.encode("ascii")  # 7-bit
    return message_from_string(lines + "\n", policy=policy.default)


@hsettings(max_examples=150, deadline=None)
@given(names)
def test_a_mailbox_header_gives_back_one_address_and_the_name(name):
    line = headers.mailbox("To", name, "bob@example.com")
    message = parse(line)
    assert list(message.keys()) == ["To"] and not message["To"].defects
    [address] = message["To"].addresses
    assert address.addr_spec == "bob@example.com"
    assert address.display_name == headers.shorten_name(name)
    assert all(len(l) <= 998 for l in line.split("\n"))


@hsettings(max_examples=150, deadline=None)
@given(names)
def test_a_subject_gives_back_its_text(text):
    line = headers.unstructured("Subject", text)
    message = parse(line)
    assert list(message.keys()) == ["Subject"]
    assert str(message["Subject"]) == headers.clean_header_text(text)
    # Folded before 78 characters, but for a first word that is longer.
    assert all(len(l) <= 78 for l in line.split("\n")[1:])


@hsettings(max_examples=60, deadline=None)
@given(names)
def test_a_list_id_gives_back_the_repository_name(name):
    """List-Id is phrase <label>: read as an address header, it gives back
    the name and the label alone."""
    line = headers.list_id(name, "group.widgets.example.org")
    [(_, raw)] = message_from_string(line + "\n", policy=policy.compat32).items()
    parsed = policy.default.header_factory("To", raw.replace("\n", ""))
    [address] = parsed.addresses
    assert address.addr_spec == "group.widgets.example.org"
    assert address.display_name == headers.shorten_name(name)


@pytest.mark.parametrize(
    "name, line",
    [
        ("Alice Liddell", "To: Alice Liddell <a@example.com>\n"),
        ("", "To: a@example.com\n"),
        ("O. Brien", 'To: "O. Brien" <a@example.com>\n'),
        ('Quote "me" \\o/', 'To: "Quote \\"me\\" \\\\o/" <a@example.com>\n'),
        ("Jürgen", "To: =?utf-8?q?J=C3=BCrgen?= <a@example.com>\n"),
        ("=?utf-8?q?x=0Ay?=", "To: =?utf-8?b?PT91dGYtOD9xP3g9MEF5Pz0=?= <a@example.com>\n"),
        (
            "IT Security <security@victim.example>, " + "x" * 40,
            'To: "IT Security <security@victim.example>,\n'
            ' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" <a@example.com>\n',
        ),
    ],
)
def test_mailbox_lines(name, line):
    assert headers.mailbox("To", name, "a@example.com") == line


@pytest.mark.parametrize(
    "address, spec",
    [
        ("a@example.com", "a@example.com"),
        ("user@localhost", "user@localhost"),
        ('"a b"@example.com', '"a b"@example.com'),
        ("a@bücher.example", "a@xn--bcher-kva.example"),
    ],
)
def test_addresses_are_written_in_ascii(address, spec):
    assert headers.mailbox("To", "", address) == f"To: {spec}\n"


@pytest.mark.parametrize("address", ["jürgen@example.com", '"a\\\rb"@example.com', "nodomain"])
def test_addresses_no_header_can_carry_are_refused(address):
    with pytest.raises(ValueError):
        headers.mailbox("To", "x", address)


def test_encoded_words_are_whole_characters_within_75():
    for text in ["😀" * 50, "ä" * 100, "a" * 200, "日本語 " * 30]:
        words = headers.encoded_words(text)
        assert all(len(w) <= 75 for w in words)
        from email.header import decode_header

        assert "".join(b.decode(c) for b, c in decode_header(" ".join(words))) == text
