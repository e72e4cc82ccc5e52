"""Subjects, in Kallithea's exact forms.

One function per mail type, named in the registry (``mailtypes``);
``email_prefix`` plus one space goes in front when it is set (``with_prefix``).  Titles and
commit messages are cut to their first line and 50 characters (``...``
included), as Kallithea's ``h.shorter`` did.  A status change or a close goes
into the leading bracket: ``[Approved: Comment]``, ``[Closing: Comment]``;
closing wins, as a close always carries a status too.
"""

from __future__ import annotations

import re

from lindos.notifications import facts as f
from lindos.notifications.sender import clean_header_text

SHORT = 50


def shorter(text: str, size: int = SHORT, postfix: str = "...") -> str:
    """First line of `text`, cut to `size` characters including `postfix`."""
    line = (text or "").strip().split("\n", 1)[0].rstrip()
    if len(line) > size:
        return line[: size - len(postfix)] + postfix
    return line


def with_prefix(prefix: str, subject: str) -> str:
    subject = clean_header_text(subject)
    return f"{prefix} {subject}" if prefix else subject


def comment_tag(status_change: str = "", closing: bool = False) -> str:
    if closing:
        return "[Closing: Comment]"
    if status_change:
        return f"[{status_change}: Comment]"
    return "[Comment]"


def changeset_author_name(facts: f.CommentFacts) -> str:
    """Kallithea names a changeset's author by username when the commit's
    email belongs to a user, else by the name in the commit."""
    if facts.changeset_author is not None:
        return facts.changeset_author.username
    cs = facts.changeset
    return cs.author_name or cs.author_email if cs else ""


def changeset_comment_subject(facts: f.CommentFacts) -> str:
    cs = facts.changeset
    branch = f" on {cs.branch}" if cs.branch else ""
    return (
        f"{comment_tag(facts.status_change, facts.closing)} {facts.repo.name} "
        f'changeset {cs.short_id} "{shorter(cs.message)}"{branch} '
        f"by {changeset_author_name(facts)}"
    )


def _pull_request_part(repo: f.Repo, pr: f.PullRequest) -> str:
    return f'{repo.name} PR #{pr.id} "{shorter(pr.title)}" from {pr.source_branch} by {pr.owner.username}'


def pull_request_subject(facts: f.PullRequestFacts) -> str:
    return f"[Review] {_pull_request_part(facts.repo, facts.pull_request)}"


def pull_request_comment_subject(facts: f.CommentFacts) -> str:
    tag = comment_tag(facts.status_change, facts.closing)
    return f"{tag} {_pull_request_part(facts.repo, facts.pull_request)}"


def registration_subject(facts: f.RegistrationFacts) -> str:
    return f"New user {facts.user.username} registered"


def password_reset_subject(facts: f.PasswordResetFacts) -> str:
    return "Password reset link"


def password_managed_elsewhere_subject(facts: f.PasswordManagedElsewhereFacts) -> str:
    return "Password reset request"


def address_confirm_subject(facts: f.AddressConfirmFacts) -> str:
    return "Confirm your email address"


def address_in_use_subject(facts: f.AddressInUseFacts) -> str:
    return "Someone tried to use your email address"


def password_changed_subject(facts: f.PasswordChangedFacts) -> str:
    # Kallithea's words: users filter on them.
    return "Password reset notification"


def test_mail_subject(facts: f.TestMailFacts) -> str:
    # Kallithea's "Kallithea test email", with this instance's title.
    return f"{facts.site_title} test email"


# An absolute file system path (POSIX, home-relative or Windows), not the
# path of a URL (preceded by ":" or "/").
_PATH = re.compile(r"(?<![\w.:/])(?:[A-Za-z]:\\|~?/)[^\s'\"]*")


def without_paths(text: str) -> str:
    return _PATH.sub("...", text)


def error_subject(facts: f.ErrorFacts) -> str:
    """Kallithea's "WebApp Error: EXCEPTION": short and without file system
    paths; where it happened, how often and the traceback are in the body."""
    return "WebApp Error: " + shorter(without_paths(f"{facts.exception_type}: {facts.message}"), 100)


def undeliverable_subject(facts: f.UndeliverableFacts) -> str:
    return f"Undeliverable notification: {facts.event_name}"
