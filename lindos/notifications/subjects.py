"""Subjects, in Kallithea's exact forms.

``email_prefix`` plus one space goes in front when it is set.  Titles and
commit messages are cut to their first line and 50 characters (``...``
included), as Kallithea's ``h.shorter`` did.  A status change or a close goes
into the leading bracket: ``[Approved: Comment]``, ``[Closing: Comment]``;
closing wins, as a close always carries a status too.
"""

from __future__ import annotations

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
    return (f'{comment_tag(facts.status_change, facts.closing)} {facts.repo.name} '
            f'changeset {cs.short_id} "{shorter(cs.message)}"{branch} '
            f'by {changeset_author_name(facts)}')


def _pull_request_part(repo: f.Repo, pr: f.PullRequest) -> str:
    return (f'{repo.name} PR #{pr.id} "{shorter(pr.title)}" '
            f'from {pr.source_branch} by {pr.owner.username}')


def pull_request_subject(facts: f.PullRequestFacts) -> str:
    return f"[Review] {_pull_request_part(facts.repo, facts.pull_request)}"


def pull_request_comment_subject(facts: f.CommentFacts) -> str:
    tag = comment_tag(facts.status_change, facts.closing)
    return f"{tag} {_pull_request_part(facts.repo, facts.pull_request)}"


def subject_for(facts, prefix: str = "") -> str:
    """The complete Subject for a mail about `facts`."""
    if isinstance(facts, f.CommentFacts):
        text = (pull_request_comment_subject(facts) if facts.is_pull_request
                else changeset_comment_subject(facts))
    elif isinstance(facts, f.PullRequestFacts):
        text = pull_request_subject(facts)
    elif isinstance(facts, f.RegistrationFacts):
        text = f"New user {facts.user.username} registered"
    elif isinstance(facts, f.PasswordResetFacts):
        text = "Password reset link"
    elif isinstance(facts, f.PasswordChangedFacts):
        text = "Your password was changed"
    elif isinstance(facts, f.AddressConfirmFacts):
        text = "Confirm your email address"
    elif isinstance(facts, f.AddressInUseFacts):
        text = "Someone tried to use your email address"
    elif isinstance(facts, f.TestMailFacts):
        text = "Test email"
    elif isinstance(facts, f.ErrorFacts):
        times = f" ({facts.count} times)" if facts.count > 1 else ""
        text = f"Error{times}: {shorter(facts.exception_type + ': ' + facts.message, 100)} [{facts.where}]"
    elif isinstance(facts, f.UndeliverableFacts):
        text = f"Undeliverable notification: {facts.event_name}"
    else:
        raise TypeError(f"no subject for {type(facts).__name__}")
    return with_prefix(prefix, text)
