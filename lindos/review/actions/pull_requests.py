"""Pull requests: create, review, edit, update.

Policy:
- a pull request brings at least one changeset; its reviewers must be
  active users who can read the target repository;
- creating one mails its reviewers, the users @mentioned in its description
  and (Kallithea's exception) its creator; adding reviewers mails the new
  ones; removing a reviewer or editing the title mails nobody;
- the owner or a repository admin may edit, add and remove reviewers and
  close (closing is a comment, ``actions.comments``);
- when the source branch or bookmark moves (a push), an open pull request gets a new
  iteration with the new changesets; older iterations and all comments and
  votes stay.  An update sends no mail (Kallithea's contract has none).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from lindos.notifications import notify
from lindos.notifications.events import PullRequestCreated, PullRequestReviewersAdded
from lindos.repos.permissions import can_admin, filter_readers
from lindos.review import compare
from lindos.review.models import PullRequest, PullRequestIteration, PullRequestReviewer
from lindos.vcs.errors import VCSError
from lindos.webhooks.enqueue import enqueue as enqueue_webhooks
from lindos.webhooks.payloads import build_pull_request

log = logging.getLogger(__name__)


def can_manage(user, pr: PullRequest) -> bool:
    return user.is_authenticated and (pr.owner_id == user.pk or can_admin(user, pr.target_repo))


def _require_manage(user, pr: PullRequest) -> None:
    if not can_manage(user, pr):
        raise PermissionDenied("Only the owner of the pull request or an admin can do this.")


def check_reviewers(target_repo, users) -> None:
    """ValidationError naming the users who cannot read the target."""
    readers = filter_readers(target_repo.pk, [u.pk for u in users])
    blocked = [u.username for u in users if u.pk not in readers]
    if blocked:
        raise ValidationError(
            "Cannot review (no read access to %s): %s" % (target_repo.name, ", ".join(blocked))
        )


def _new_iteration(pr: PullRequest, number: int) -> PullRequestIteration:
    head = compare.resolve_source(pr.source_repo, pr.source_ref_kind, pr.source_ref)
    found = compare.compare(pr.source_repo, head, pr.target_repo, pr.target_branch, pr.pk)
    return PullRequestIteration.objects.create(
        pull_request=pr,
        number=number,
        source_rev=found.source_rev,
        target_rev=found.target_rev,
        base_rev=found.base_rev,
        revisions=found.revisions,
    )


def do_create_pull_request(
    *,
    owner,
    source_repo,
    source_ref_kind: str,
    source_ref: str,
    target_repo,
    target_branch: str,
    title: str,
    description: str = "",
    reviewers=(),
) -> PullRequest:
    """Open a pull request (see module doc); ValidationError says why not."""
    reviewers = list(dict.fromkeys(reviewers))
    check_reviewers(target_repo, reviewers)
    try:
        with transaction.atomic():
            pr = PullRequest.objects.create(
                title=title.strip(),
                description=description.strip(),
                owner=owner,
                source_repo=source_repo,
                source_ref_kind=source_ref_kind,
                source_ref=source_ref,
                target_repo=target_repo,
                target_branch=target_branch,
            )
            iteration = _new_iteration(pr, 1)
            if not iteration.revisions:
                raise ValidationError(
                    f"{source_ref} has no changesets that are not already in {target_branch}."
                )
            PullRequestReviewer.objects.bulk_create(
                [PullRequestReviewer(pull_request=pr, user=u) for u in reviewers]
            )
            # What the mail is about travels with the event: a worker expands
            # it later, when reviewers or the description may have changed.
            notify(
                PullRequestCreated(
                    actor_id=owner.pk,
                    pull_request_id=pr.pk,
                    reviewer_ids=tuple(u.pk for u in reviewers),
                    description=pr.description,
                )
            )
            enqueue_webhooks(
                target_repo.pk,
                "pull_request_opened",
                lambda: build_pull_request("pull_request_opened", pr, owner),
            )
    except VCSError as exc:
        raise ValidationError(f"Cannot compare the repositories: {exc}")
    return pr


def do_add_reviewers(pr: PullRequest, actor, users) -> list[int]:
    """Add `users` not yet reviewing; mail the new ones.  Returns their ids."""
    _require_manage(actor, pr)
    check_reviewers(pr.target_repo, list(users))
    with transaction.atomic():
        existing = set(pr.reviewers.values_list("user_id", flat=True))
        new = [u for u in dict.fromkeys(users) if u.pk not in existing]
        PullRequestReviewer.objects.bulk_create([PullRequestReviewer(pull_request=pr, user=u) for u in new])
        if new:
            notify(
                PullRequestReviewersAdded(
                    actor_id=actor.pk, pull_request_id=pr.pk, reviewer_ids=tuple(u.pk for u in new)
                )
            )
    return [u.pk for u in new]


def do_remove_reviewer(pr: PullRequest, actor, user) -> None:
    _require_manage(actor, pr)
    PullRequestReviewer.objects.filter(pull_request=pr, user=user).delete()


def do_edit_pull_request(pr: PullRequest, actor, *, title: str, description: str) -> None:
    _require_manage(actor, pr)
    if not title.strip():
        raise ValidationError("The title may not be empty.")
    pr.title, pr.description = title.strip(), description.strip()
    pr.save(update_fields=["title", "description", "updated_at"])


def do_update_pull_request(pr: PullRequest) -> PullRequestIteration | None:
    """A new iteration if `pr` is open, follows a branch or bookmark, and
    that moved; None otherwise."""
    with transaction.atomic():
        pr = PullRequest.objects.select_for_update().get(pk=pr.pk)
        if not pr.is_open or pr.source_ref_kind not in PullRequest.FOLLOWED_KINDS:
            return None
        latest = pr.latest_iteration()
        head = compare.resolve_source(pr.source_repo, pr.source_ref_kind, pr.source_ref)
        if latest is not None and head == latest.source_rev:
            return None
        iteration = _new_iteration(pr, (latest.number if latest else 0) + 1)
        pr.save(update_fields=["updated_at"])
        enqueue_webhooks(
            pr.target_repo_id,
            "pull_request_updated",
            lambda: build_pull_request("pull_request_updated", pr, None),
        )
        return iteration


def update_after_push(repository_id: int, ref_changes, **_ignored) -> list[int]:
    """``repository_pushed`` receiver: update the open pull requests whose
    source branch or bookmark moved (``refs/heads/NAME``,
    ``refs/bookmarks/NAME``).  Failures are logged; the push already happened."""
    from django.db.models import Q

    moved = [c.ref for c in ref_changes if not c.deleted]
    branches = {r[len("refs/heads/") :] for r in moved if r.startswith("refs/heads/")}
    bookmarks = {r[len("refs/bookmarks/") :] for r in moved if r.startswith("refs/bookmarks/")}
    updated = []
    for pr in PullRequest.objects.filter(
        Q(source_ref_kind="branch", source_ref__in=branches)
        | Q(source_ref_kind="bookmark", source_ref__in=bookmarks),
        source_repo_id=repository_id,
        state=PullRequest.OPEN,
    ):
        try:
            if do_update_pull_request(pr) is not None:
                updated.append(pr.pk)
        except Exception:  # the push is done; one bad pull request must not fail it
            log.exception("updating pull request #%s after a push failed", pr.pk)
    return updated
