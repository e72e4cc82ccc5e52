"""Sample facts for every mail type: the debug preview page shows them and
the golden-file test renders them (``tests/notifications/golden/``)."""

from __future__ import annotations

from lindos.notifications import facts as f
from lindos.notifications.recipients import Recipient

ALICE = f.Person(1, "alice", "Alice Liddell", "alice@example.com")
BOB = f.Person(2, "bob", "Bob Builder", "bob@example.com")
CAROL = f.Person(3, "carol", "", "carol@example.com")
NEWBIE = f.Person(9, "jürgen", "Jürgen Nëwcomer", "juergen@example.com", is_active=False)

REPO = f.Repo(id=7, name="group/widgets", owner=ALICE)
RAW_ID = "0123456789abcdef0123456789abcdef01234567"
CHANGESET = f.Changeset(
    raw_id=RAW_ID,
    short_id=RAW_ID[:12],
    message="Fix the frobnicator so that it no longer explodes on empty input\n\nDetails.",
    branch="default",
    author_name="Alice Liddell",
    author_email="alice@example.com",
    url_path=f"/group/widgets/changeset/{RAW_ID}",
)
SECOND = f.Changeset(
    raw_id="89ab" * 10,
    short_id="89ab89ab89ab",
    message="Document the <widgets> section",
    branch="feature-config",
)
INLINE = f.InlineContext(
    path="src/frob.py",
    line=42,
    side="new",
    lines=(
        f.CodeLine(40, "def frob(items):"),
        f.CodeLine(41, "    if not items:"),
        f.CodeLine(42, "        return None  # <nothing> & so on", is_target=True),
        f.CodeLine(43, "    return items[0]"),
        f.CodeLine(44, ""),
    ),
)
PR = f.PullRequest(
    id=12,
    title="Make the widgets configurable through the INI file, finally",
    description="This adds `widgets.*` keys.\n\n* one\n* two\n\n@carol please check <b>the docs</b>.",
    source_branch="feature-config",
    target_branch="default",
    owner=BOB,
    reviewers=(ALICE, CAROL),
    url_path="/group/widgets/pull-request/12/_/feature-config",
    source_repo_name="bob/widgets-fork",
    changesets=(CHANGESET, SECOND),
)
COMMENT = (
    "Looks **good**, but `frob([])` still returns `None`.\n\n"
    "<script>alert('no')</script> [a link](javascript:alert(1))\n\n@carol what do you think?"
)


def _cs_comment(**kw):
    values = dict(
        actor=BOB,
        repo=REPO,
        comment_id=100,
        text=COMMENT,
        url_path=f"/group/widgets/changeset/{RAW_ID}#comment-100",
        changeset=CHANGESET,
        inline=INLINE,
        changeset_author=ALICE,
        earlier_commenters=(CAROL,),
        mentioned=(CAROL,),
    )
    values.update(kw)
    return f.CommentFacts(**values)


def _pr_comment(**kw):
    values = dict(
        actor=ALICE,
        repo=REPO,
        comment_id=200,
        text=COMMENT,
        url_path="/group/widgets/pull-request/12/_/feature-config#comment-200",
        pull_request=PR,
        mentioned=(CAROL,),
    )
    values.update(kw)
    return f.CommentFacts(**values)


def samples() -> dict[str, tuple[object, Recipient]]:
    """name -> (facts, one recipient), one per mail type and variant."""
    to_alice = Recipient(ALICE.id, ALICE.email, "changeset author", ALICE.display_name)
    to_bob = Recipient(BOB.id, BOB.email, "pull request owner", BOB.display_name)
    to_carol = Recipient(CAROL.id, CAROL.email, "new reviewer", CAROL.display_name)
    return {
        "cs_comment": (_cs_comment(), to_alice),
        # A mentioned reader's copy says why they are told.
        "cs_comment_mentioned": (
            _cs_comment(),
            Recipient(CAROL.id, CAROL.email, "mentioned", CAROL.display_name),
        ),
        "pull_request_comment_mentioned": (
            _pr_comment(),
            Recipient(CAROL.id, CAROL.email, "mentioned", CAROL.display_name),
        ),
        "cs_comment_general": (
            _cs_comment(inline=None, text="Thanks!", changeset_author=None, status_change="Approved"),
            to_alice,
        ),
        "pull_request": (
            f.PullRequestFacts(
                actor=BOB, repo=REPO, pull_request=PR, new_reviewers=(ALICE, CAROL), mentioned=(CAROL,)
            ),
            to_carol,
        ),
        "pull_request_reviewers_added": (
            f.PullRequestFacts(
                actor=BOB,
                repo=REPO,
                pull_request=PR,
                new_reviewers=(CAROL,),
                mentioned=(CAROL,),
                is_new=False,
            ),
            to_carol,
        ),
        "pull_request_comment": (
            _pr_comment(status_change="Approved", inline=INLINE, changeset=CHANGESET),
            to_bob,
        ),
        "pull_request_comment_not_approved": (
            _pr_comment(status_change="Not approved", text="Needs tests."),
            to_bob,
        ),
        "pull_request_comment_closing": (
            _pr_comment(status_change="Approved", closing=True, text="Merged, thanks."),
            to_bob,
        ),
        "registration": (
            f.RegistrationFacts(
                actor=NEWBIE, user=NEWBIE, admins=(ALICE,), admin_user_url_path="/_admin/users/9/edit"
            ),
            Recipient(ALICE.id, ALICE.email, "administrator", ALICE.display_name),
        ),
        "password_reset": (
            f.PasswordResetFacts(
                user=BOB, reset_url="https://code.example.org/_admin/password_reset_confirmation/Mg/token"
            ),
            Recipient(BOB.id, BOB.email, "account owner", BOB.display_name),
        ),
        "password_managed_elsewhere_ldap": (
            f.PasswordManagedElsewhereFacts(user=BOB, source="ldap"),
            Recipient(BOB.id, BOB.email, "account owner", BOB.display_name),
        ),
        "password_managed_elsewhere_container": (
            f.PasswordManagedElsewhereFacts(user=BOB, source="container"),
            Recipient(BOB.id, BOB.email, "account owner", BOB.display_name),
        ),
        "password_changed": (
            f.PasswordChangedFacts(user=BOB),
            Recipient(BOB.id, BOB.email, "account owner", BOB.display_name),
        ),
        "address_confirm_registration": (
            f.AddressConfirmFacts(
                address="juergen@example.com",
                username="jürgen",
                purpose="registration",
                confirm_url="https://code.example.org/_admin/register/confirm/token",
                name="Jürgen Nëwcomer",
            ),
            Recipient(None, "juergen@example.com", "address to confirm", "Jürgen Nëwcomer"),
        ),
        "address_confirm_email_change": (
            f.AddressConfirmFacts(
                address="bob@new.example.com",
                username="bob",
                purpose="email_change",
                confirm_url="https://code.example.org/_admin/my_account/email/token",
                user_id=BOB.id,
                name=BOB.display_name,
            ),
            Recipient(BOB.id, "bob@new.example.com", "address to confirm", BOB.display_name),
        ),
        "address_in_use_registration": (
            f.AddressInUseFacts(user=BOB, purpose="registration"),
            Recipient(BOB.id, BOB.email, "account owner", BOB.display_name),
        ),
        "address_in_use_email_change": (
            f.AddressInUseFacts(user=BOB, purpose="email_change"),
            Recipient(BOB.id, BOB.email, "account owner", BOB.display_name),
        ),
        "test_mail": (
            f.TestMailFacts(address="postmaster@example.com", actor=ALICE, site_title="Example Code"),
            Recipient(None, "postmaster@example.com", "test mail"),
        ),
        "error": (
            f.ErrorFacts(
                exception_type="ValueError",
                message="invalid literal for int() with base 10: 'x'",
                traceback=(
                    'Traceback (most recent call last):\n  File "/srv/lindos/views.py", '
                    'line 3, in page\n    return int(request.GET["n"])\n'
                    "ValueError: invalid literal for int() with base 10: 'x'\n"
                ),
                where="GET https://code.example.org/group/widgets?n=x&api_key=********",
                user="alice (id 1)",
                environment=(("HTTP_COOKIE", "********"), ("HTTP_USER_AGENT", "curl/8.5 <b>")),
                count=3,
                interval_seconds=600,
            ),
            Recipient(None, "ops@example.com", "email_to"),
        ),
        "undeliverable": (
            f.UndeliverableFacts(
                event_name="ChangesetCommented",
                event_summary='{"actor_id": 2, "comment_id": 100, "type": "ChangesetCommented"}',
                error="resolving the recipients failed: RuntimeError: boom",
            ),
            Recipient(None, "ops@example.com", "fallback: email_to"),
        ),
    }
