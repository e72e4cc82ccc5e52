"""Reading review statuses: the latest vote per reviewer, and what a pull
request's votes add up to.

Policy:
- a user's status for a changeset is their newest vote on it, whether cast
  on the changeset page or on a pull request containing it (Kallithea);
- a pull request's status per reviewer is their newest vote on that pull
  request; a reviewer who never voted is "Not reviewed";
- the overall status of a pull request (Kallithea's rule): "Not approved"
  as soon as one reviewer rejects, "Approved" when every reviewer approved,
  "Not reviewed" when there are no reviewers or nobody voted yet, otherwise
  "Under review".
"""

from __future__ import annotations

from dataclasses import dataclass

from lindos.review.models import ChangesetStatus, PullRequest, Status


@dataclass(frozen=True)
class Vote:
    user_id: int
    username: str
    display_name: str
    status: str

    @property
    def label(self) -> str:
        return Status(self.status).label


def _vote(user, status: str) -> Vote:
    return Vote(user.pk, user.username, user.full_name_or_username, status)


def statuses_for(repo, changeset_ids) -> dict[str, list[Vote]]:
    """{changeset id: [latest vote of each user, by username]} for the
    changesets of `repo` among `changeset_ids` that have votes.  One query,
    for the changelog and the changeset page."""
    ids = list(changeset_ids)
    if not ids:
        return {}
    rows = (
        ChangesetStatus.objects.filter(repository=repo, revision__in=ids)
        .select_related("user")
        .order_by("created_at", "id")
    )
    latest = {}
    for row in rows:  # oldest first: the newest vote per user stays
        latest[(row.revision, row.user_id)] = row
    result: dict[str, list[Vote]] = {}
    for row in sorted(latest.values(), key=lambda r: r.user.username):
        result.setdefault(row.revision, []).append(_vote(row.user, row.status))
    return result


def summary_status(votes: list[Vote]) -> str:
    """One status for a changeset's votes, by the same rule as a pull request's."""
    return overall_status([v.status for v in votes])


def pull_request_votes(pr: PullRequest) -> dict[int, str]:
    """{user id: newest status} of everyone who voted on `pr`."""
    rows = ChangesetStatus.objects.filter(pull_request=pr).order_by("created_at", "id")
    return {user_id: status for user_id, status in rows.values_list("user_id", "status")}


def reviewer_votes(pr: PullRequest) -> list[Vote]:
    """Each reviewer's status on `pr` (not reviewed if they never voted)."""
    votes = pull_request_votes(pr)
    reviewers = pr.reviewers.select_related("user").order_by("user__username")
    return [_vote(r.user, votes.get(r.user_id, Status.NOT_REVIEWED)) for r in reviewers]


def overall_status(reviewer_statuses: list[str]) -> str:
    """The pull request's status from its reviewers' statuses (module doc)."""
    if not reviewer_statuses:
        return Status.NOT_REVIEWED
    if Status.REJECTED in reviewer_statuses:
        return Status.REJECTED
    if all(s == Status.APPROVED for s in reviewer_statuses):
        return Status.APPROVED
    if all(s == Status.NOT_REVIEWED for s in reviewer_statuses):
        return Status.NOT_REVIEWED
    return Status.UNDER_REVIEW


def status_label(status: str) -> str:
    return Status(status).label
