"""Subjects in Kallithea's exact forms."""

import pytest

from lindos.notifications import facts as f
from lindos.notifications.mailtypes import subject_for
from lindos.notifications.subjects import shorter
from tests.notifications.factories import BOB, FRANK, cs_comment, pr_comment, pr_created

CS = (
    'group/widgets changeset 0123456789ab "Fix the frobnicator so that it no longer explod..." '
    "on default by alice"
)
PR = 'group/widgets PR #12 "Make the widgets configurable through the INI f..." from feature-config by bob'


@pytest.mark.parametrize(
    "facts, subject",
    [
        (cs_comment(), f"[Comment] {CS}"),
        (cs_comment(status_change="Approved"), f"[Approved: Comment] {CS}"),
        (cs_comment(changeset_author=None), f"[Comment] {CS[: -len('alice')]}Alice Liddell"),
        (pr_created(), f"[Review] {PR}"),
        (pr_created(is_new=False), f"[Review] {PR}"),
        (pr_comment(), f"[Comment] {PR}"),
        (pr_comment(status_change="Approved"), f"[Approved: Comment] {PR}"),
        (pr_comment(status_change="Not approved"), f"[Not approved: Comment] {PR}"),
        (pr_comment(status_change="Approved", closing=True), f"[Closing: Comment] {PR}"),
        (f.RegistrationFacts(actor=FRANK, user=FRANK, admins=()), "New user frank registered"),
        (f.PasswordResetFacts(user=BOB, reset_url="u"), "Password reset link"),
        (f.PasswordChangedFacts(user=BOB), "Password reset notification"),
        (f.PasswordManagedElsewhereFacts(user=BOB, source="ldap"), "Password reset request"),
        (f.TestMailFacts(address="a@b.c", site_title="Code Review"), "Code Review test email"),
    ],
)
def test_subject(facts, subject):
    assert subject_for(facts) == subject


def test_prefix_plus_one_space():
    assert subject_for(f.PasswordChangedFacts(user=BOB), "[lindos]") == "[lindos] Password reset notification"


def test_changeset_without_branch():
    facts = cs_comment(
        changeset=cs_comment().changeset.__class__(
            raw_id="ab" * 20, short_id="abababababab", message="One line"
        )
    )
    assert subject_for(facts) == ('[Comment] group/widgets changeset abababababab "One line" by alice')


@pytest.mark.parametrize(
    "text, expected",
    [
        ("short", "short"),
        ("x" * 50, "x" * 50),
        ("x" * 51, "x" * 47 + "..."),
        ("first line\nsecond line", "first line"),
        ("  padded  \n", "padded"),
    ],
)
def test_shorter(text, expected):
    assert shorter(text) == expected


def test_control_characters_never_reach_the_subject():
    facts = pr_comment(
        pull_request=pr_comment().pull_request.__class__(
            **{**pr_comment().pull_request.__dict__, "title": "Evil\r\nBcc: x@evil.example"}
        )
    )
    assert "\n" not in subject_for(facts) and "\r" not in subject_for(facts)
