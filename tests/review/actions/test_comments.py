"""The comment action enforces who may vote and close by itself: the API,
SSH and any later caller go through the same rules as the page."""

import pytest
from django.core.exceptions import PermissionDenied

from lindos.repos.models import RepositoryPermission
from lindos.review.actions import ReviewRefused, can_set_status, do_comment_on_pull_request
from lindos.review.models import ChangesetStatus, Comment
from tests.review.test_pull_requests import pr  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_non_reviewer_may_not_vote(pr, people):  # noqa: F811
    with pytest.raises(ReviewRefused) as refused:
        do_comment_on_pull_request(pr=pr, author=people["dave"], text="+1", status="approved")
    assert isinstance(refused.value, PermissionDenied)
    assert refused.value.field == "status"
    assert str(refused.value) == "Only reviewers, the owner or an admin can set the status."
    assert not Comment.objects.exists() and not ChangesetStatus.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "admin", "repo_admin"])
def test_reviewers_owner_and_admins_may_vote(pr, people, make_user, who):  # noqa: F811
    # Kallithea: reviewer, owner, or admin; the issue adds the repository's admins.
    if who == "repo_admin":
        user = make_user("rita")
        RepositoryPermission.objects.create(repository=pr.target_repo, user=user, permission="admin")
    else:
        user = people[who]
    assert can_set_status(user, pr)
    comment = do_comment_on_pull_request(pr=pr, author=user, status="approved")
    assert set(comment.status_changes.values_list("status", flat=True)) == {"approved"}


def test_only_owner_or_admin_closes(pr, people):  # noqa: F811
    with pytest.raises(ReviewRefused) as refused:
        do_comment_on_pull_request(pr=pr, author=people["alice"], text="bye", close=True)
    assert refused.value.field == "close"
    assert str(refused.value) == "Only the owner or an admin can close the pull request."
    pr.refresh_from_db()
    assert pr.is_open
    do_comment_on_pull_request(pr=pr, author=people["admin"], close=True)
    pr.refresh_from_db()
    assert not pr.is_open


def test_nobody_votes_on_a_closed_pull_request(pr, people):  # noqa: F811
    do_comment_on_pull_request(pr=pr, author=people["bob"], close=True)
    pr.refresh_from_db()
    assert not can_set_status(people["alice"], pr)
