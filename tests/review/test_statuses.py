"""Review statuses: Kallithea's four, the latest vote per user, and how a
pull request's votes add up."""

import pytest

from lindos.review.models import ChangesetStatus, Status
from lindos.review.statuses import overall_status, statuses_for

A, R, U, N = Status.APPROVED, Status.REJECTED, Status.UNDER_REVIEW, Status.NOT_REVIEWED


def test_labels_are_kallithea_s():
    assert [s.label for s in Status] == ["Not reviewed", "Under review", "Approved", "Not approved"]


@pytest.mark.parametrize(
    "votes, expected",
    [
        ([], N),
        ([N, N], N),
        ([A], A),
        ([A, A], A),
        ([A, N], U),
        ([A, U], U),
        ([A, R], R),
        ([R, N], R),
        ([U], U),
    ],
)
def test_overall_status(votes, expected):
    assert overall_status(votes) == expected


@pytest.mark.django_db
def test_latest_vote_per_user_counts(project, people):
    rev = project.ids[1]
    for user, status in (("carol", R), ("dave", A), ("carol", A)):
        ChangesetStatus.objects.create(repository=project.row, revision=rev, user=people[user], status=status)
    found = statuses_for(project.row, [rev, project.ids[0]])
    assert list(found) == [rev]
    assert [(v.username, v.label) for v in found[rev]] == [("carol", "Approved"), ("dave", "Approved")]
