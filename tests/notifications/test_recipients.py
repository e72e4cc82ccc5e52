"""One test per recipient rule (docs/usage/email.rst and the Lindos issue)."""

from dataclasses import replace

from lindos.notifications import facts as f
from lindos.notifications.mailtypes import must_tell_someone, recipients_for
from lindos.notifications.recipients import fallback_recipients
from tests.notifications.factories import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    ERIN,
    FRANK,
    PR,
    cs_comment,
    pr_comment,
    pr_created,
)


def rows(facts):
    return [(r.user_id, r.address, r.reason) for r in recipients_for(facts)]


def test_changeset_comment_goes_to_author_commenters_and_open_pr_reviewers():
    assert rows(cs_comment()) == [
        (1, "alice@example.com", "changeset author"),
        (3, "carol@example.com", "commented before"),
        (4, "dave@example.com", "reviewer of an open pull request"),
    ]


def test_changeset_without_matching_user_goes_to_repository_owner():
    assert rows(cs_comment(changeset_author=None))[0] == (5, "erin@example.com", "repository owner")


def test_mentioned_users_get_the_comment():
    assert rows(cs_comment(mentioned=(FRANK,)))[-1] == (6, "frank@example.com", "mentioned")


def test_commenter_never_gets_their_own_comment():
    facts = cs_comment(actor=ALICE, earlier_commenters=(ALICE, CAROL), mentioned=(ALICE,))
    assert [r[0] for r in rows(facts)] == [3, 4]


def test_one_mail_per_person_first_reason_wins():
    facts = cs_comment(
        earlier_commenters=(ALICE, CAROL, CAROL),
        open_pr_reviewers=(CAROL,),
        mentioned=(replace(ALICE, email="ALICE@example.com"),),
    )
    assert rows(facts) == [
        (1, "alice@example.com", "changeset author"),
        (3, "carol@example.com", "commented before"),
    ]


def test_inactive_users_and_users_without_address_get_nothing():
    facts = cs_comment(
        earlier_commenters=(replace(CAROL, is_active=False),), open_pr_reviewers=(replace(DAVE, email=""),)
    )
    assert [r[0] for r in rows(facts)] == [1]


def test_pull_request_comment_goes_to_owner_reviewers_and_commenters():
    assert rows(pr_comment(actor=FRANK)) == [
        (2, "bob@example.com", "pull request owner"),
        (1, "alice@example.com", "reviewer"),
        (3, "carol@example.com", "reviewer"),
        (4, "dave@example.com", "commented before"),
    ]


def test_status_change_and_close_go_to_the_same_people():
    base = [r[0] for r in rows(pr_comment())]
    assert [r[0] for r in rows(pr_comment(status_change="Approved"))] == base
    assert [r[0] for r in rows(pr_comment(closing=True, status_change="Approved"))] == base


def test_new_pull_request_goes_to_reviewers_mentioned_and_creator():
    assert rows(pr_created()) == [
        (1, "alice@example.com", "new reviewer"),
        (3, "carol@example.com", "new reviewer"),
        (6, "frank@example.com", "mentioned"),
        (2, "bob@example.com", "pull request creator"),
    ]


def test_reviewers_added_goes_to_new_reviewers_only():
    facts = pr_created(actor=ALICE, new_reviewers=(DAVE, ALICE), is_new=False)
    assert rows(facts) == [(4, "dave@example.com", "new reviewer")]


def test_registration_goes_to_every_admin():
    facts = f.RegistrationFacts(actor=FRANK, user=FRANK, admins=(ALICE, ERIN))
    assert [r[0] for r in rows(facts)] == [1, 5]
    assert must_tell_someone(facts)


def test_password_mails_go_to_that_user_only():
    assert rows(f.PasswordResetFacts(user=BOB, reset_url="x")) == [(2, "bob@example.com", "account owner")]
    assert rows(f.PasswordChangedFacts(user=BOB)) == [(2, "bob@example.com", "account owner")]


def test_fallback_is_admins_plus_email_to_without_repeats():
    result = fallback_recipients((ALICE, ERIN), ("ops@example.com", "Alice@example.com"))
    assert [(r.user_id, r.address) for r in result] == [
        (1, "alice@example.com"),
        (5, "erin@example.com"),
        (None, "ops@example.com"),
    ]


def test_comment_mail_needs_nobody():
    assert not must_tell_someone(cs_comment())
    assert rows(cs_comment(actor=ALICE, earlier_commenters=(), open_pr_reviewers=())) == []
    assert PR.owner == BOB and CAROL.display_name == "carol"
