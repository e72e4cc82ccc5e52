"""Commenting and voting on changesets and pull requests.

Policy:
- a comment needs text, or a status change (or, on a pull request, a
  close): an empty comment is refused;
- a status is recorded together with the comment that carries it; on a
  pull request the vote is recorded for each changeset of its latest
  iteration, so the changelog shows it too (Kallithea);
- on a pull request, who may vote is Kallithea's rule: its reviewers, its
  owner, site admins and the target repository's admins
  (``can_set_status``); only the owner or an admin closes it
  (``pull_requests.can_manage``).  The action checks this itself, so the
  API, SSH and any later caller cannot bypass it: a refusal is a
  ``ReviewRefused`` (a ``PermissionDenied`` with the message to show);
- a closed pull request takes comments but no votes, and cannot be closed
  again;
- the same form submitted twice (same ``token``) stores one comment and
  sends one set of mails: the second call returns the first comment;
- the comment's author, a repository admin or a site admin may delete it;
  a status it carried stays (the vote happened).

Anchors (changeset, file, line) are checked by the caller against the
repository (``lindos.review.inline``); these functions trust them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from lindos.notifications import notify
from lindos.notifications.events import ChangesetCommented, PullRequestCommented
from lindos.repos.permissions import can_admin
from lindos.review.actions.pull_requests import can_manage
from lindos.review.models import ChangesetStatus, Comment, PullRequest, Status
from lindos.webhooks import payloads as webhook_payloads
from lindos.webhooks.enqueue import enqueue as enqueue_webhooks

EMPTY_COMMENT = "Please write a comment or choose a status."
STATUS_REFUSED = "Only reviewers, the owner or an admin can set the status."
CLOSE_REFUSED = "Only the owner or an admin can close the pull request."


class ReviewRefused(PermissionDenied):
    """The actor may not do this; ``field`` names what was refused
    ("status", "close", or "" for the whole action) so a form can show the
    message next to it, and ``str(exc)`` is the message."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def can_set_status(user, pr: PullRequest) -> bool:
    """Kallithea's ``_is_allowed_to_change_status``: a reviewer, the owner
    or an admin (site admin, or admin of the target repository) may vote on
    an open pull request."""
    if not user.is_authenticated or not pr.is_open:
        return False
    return (
        pr.owner_id == user.pk
        or can_admin(user, pr.target_repo)
        or pr.reviewers.filter(user_id=user.pk).exists()
    )


def _check_status(status: str | None) -> None:
    if status and status not in Status.values:
        raise ValidationError(f"Unknown status {status!r}.")


def _existing(token: str | None) -> Comment | None:
    return Comment.objects.filter(token=token).first() if token else None


def _create_comment(token: str | None, **fields) -> tuple[Comment, bool]:
    """(comment, created): a comment already stored under `token` is
    returned instead of a second one, also when two requests race."""
    found = _existing(token)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return Comment.objects.create(token=token or None, **fields), True
    except IntegrityError:
        found = _existing(token)
        if found is None:
            raise
        return found, False


def do_comment_on_changeset(
    *,
    repo,
    revision: str,
    author,
    text: str = "",
    status: str | None = None,
    path: str = "",
    line: int | None = None,
    side: str = "",
    token: str | None = None,
) -> Comment:
    """Comment on changeset `revision` (a full id) of `repo`, optionally
    inline and with a status; mail the people concerned."""
    text = (text or "").strip()
    _check_status(status)
    if not text and not status:
        raise ValidationError(EMPTY_COMMENT)
    with transaction.atomic():
        comment, created = _create_comment(
            token,
            repository=repo,
            revision=revision,
            author=author,
            text=text,
            path=path if path else "",
            line=line if path else None,
            side=side if path else "",
        )
        if not created:
            return comment
        if status:
            ChangesetStatus.objects.create(
                repository=repo, revision=revision, user=author, status=status, comment=comment
            )
        notify(ChangesetCommented(actor_id=author.pk, comment_id=comment.pk))
        _webhooks_for_comment(comment, status)
    return comment


def do_comment_on_pull_request(
    *,
    pr: PullRequest,
    author,
    text: str = "",
    status: str | None = None,
    close: bool = False,
    path: str = "",
    line: int | None = None,
    side: str = "",
    token: str | None = None,
) -> Comment:
    """Comment on `pr`, optionally inline, with a vote, or closing it; mail
    the people concerned (see module doc for what is refused)."""
    text = (text or "").strip()
    _check_status(status)
    with transaction.atomic():
        pr = PullRequest.objects.select_for_update().get(pk=pr.pk)
        found = _existing(token)
        if found is not None:
            return found
        if not pr.is_open and (status or close):
            raise ValidationError("This pull request is closed.")
        if status and not can_set_status(author, pr):
            raise ReviewRefused(STATUS_REFUSED, "status")
        if close and not can_manage(author, pr):
            raise ReviewRefused(CLOSE_REFUSED, "close")
        if not text and not status and not close:
            raise ValidationError(EMPTY_COMMENT)
        iteration = pr.latest_iteration()
        comment, created = _create_comment(
            token,
            repository=pr.target_repo,
            pull_request=pr,
            revision=iteration.source_rev,
            author=author,
            text=text,
            closes=close,
            path=path if path else "",
            line=line if path else None,
            side=side if path else "",
        )
        if not created:
            return comment
        if status:
            ChangesetStatus.objects.bulk_create(
                [
                    ChangesetStatus(
                        repository=pr.source_repo,
                        revision=rev,
                        pull_request=pr,
                        user=author,
                        status=status,
                        comment=comment,
                    )
                    for rev in (iteration.revisions or [iteration.source_rev])
                ]
            )
        if close:
            pr.state = PullRequest.CLOSED
            pr.save(update_fields=["state", "updated_at"])
        # The reviewers now, not when a worker expands the event.
        reviewer_ids = tuple(pr.reviewers.values_list("user_id", flat=True))
        notify(PullRequestCommented(actor_id=author.pk, comment_id=comment.pk, reviewer_ids=reviewer_ids))
        _webhooks_for_comment(comment, status)
        if close:
            enqueue_webhooks(
                pr.target_repo_id,
                "pull_request_closed",
                lambda: webhook_payloads.build_pull_request("pull_request_closed", pr, author),
            )
    return comment


def _webhooks_for_comment(comment: Comment, status: str | None) -> None:
    """Webhook deliveries, in this transaction: ``comment`` when it has
    text, ``status`` when it carries a vote."""
    if comment.text:
        enqueue_webhooks(comment.repository_id, "comment", lambda: webhook_payloads.build_comment(comment))
    if status:
        enqueue_webhooks(
            comment.repository_id, "status", lambda: webhook_payloads.build_status(comment, status)
        )


def can_delete(user, comment: Comment) -> bool:
    if not user.is_authenticated:
        return False
    return comment.author_id == user.pk or can_admin(user, comment.repository)


def do_delete_comment(comment: Comment, actor) -> None:
    """Delete `comment` if `actor` may (its author or an admin)."""
    if not can_delete(actor, comment):
        raise PermissionDenied("Only the author or an admin can delete this comment.")
    comment.delete()
