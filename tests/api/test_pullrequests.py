"""Pull request methods over HTTP, through the review actions, with their
permission cases."""

import pytest

from lindos.repos.models import Repository
from lindos.review.actions import do_create_pull_request
from lindos.review.models import Comment, PullRequest
from tests.api.conftest import push_commits


@pytest.fixture
def pr(git, tmp_path, server_url, alice, bob, make_repo):
    repo = make_repo("proj", owner=alice)
    push_commits(git, tmp_path, server_url, alice, "proj", {"a": "1\n"})
    push_commits(git, tmp_path, server_url, alice, "proj", {"b": "2\n"}, branch="feature")
    return do_create_pull_request(
        owner=alice,
        source_repo=repo,
        source_ref_kind="branch",
        source_ref="feature",
        target_repo=repo,
        target_branch="main",
        title="Add b",
        reviewers=[bob],
    )


def test_get_pullrequest_shape(api, pr, bob, make_user):
    result = api.ok(bob.api_key, "get_pullrequest", pullrequest_id=pr.pk)
    assert set(result) >= {
        "status",
        "pull_request_id",
        "description",
        "title",
        "url",
        "reviewers",
        "org_repo_url",
        "org_ref_parts",
        "other_ref_parts",
        "comments",
        "owner",
        "statuses",
        "revisions",
    }
    assert result["reviewers"] == [{"username": "bob"}]
    assert result["org_ref_parts"][:2] == ["branch", "feature"]
    assert result["other_ref_parts"][:2] == ["branch", "main"]
    assert result["status"] == "not_reviewed" and len(result["revisions"]) == 1
    assert (
        api.error(bob.api_key, "get_pullrequest", pullrequest_id=99999)
        == "pull request `99999` does not exist"
    )
    assert (
        api.error(bob.api_key, "get_pullrequest", pullrequest_id="x")
        == "Invalid type for `pullrequest_id` arg in JSON DATA: expected integer"
    )


def test_private_pull_request_does_not_exist_for_strangers(api, pr, make_user):
    Repository.objects.filter(pk=pr.target_repo_id).update(private=True, default_permission="none")
    stranger = make_user("stranger")
    assert (
        api.error(stranger.api_key, "get_pullrequest", pullrequest_id=pr.pk)
        == f"pull request `{pr.pk}` does not exist"
    )
    assert (
        api.error(stranger.api_key, "comment_pullrequest", pull_request_id=pr.pk, comment_msg="hi")
        == f"pull request `{pr.pk}` does not exist"
    )


def test_comment_vote_and_close_rules(api, pr, alice, bob, make_user):
    carol = make_user("carol")
    assert (
        api.ok(carol.api_key, "comment_pullrequest", pull_request_id=pr.pk, comment_msg="looks fine") is True
    )
    assert Comment.objects.filter(pull_request=pr, author=carol, text="looks fine").exists()
    assert api.error(carol.api_key, "comment_pullrequest", pull_request_id=pr.pk, status="approved") == (
        "No permission to change pull request status. User needs to be admin, owner or reviewer."
    )
    assert (
        api.error(carol.api_key, "comment_pullrequest", pull_request_id=pr.pk, close_pr=True)
        == "No permission to close pull request. User needs to be admin or owner."
    )
    assert api.ok(bob.api_key, "comment_pullrequest", pull_request_id=pr.pk, status="approved") is True
    assert api.ok(bob.api_key, "get_pullrequest", pullrequest_id=pr.pk)["status"] == "approved"
    assert api.error(bob.api_key, "comment_pullrequest", pull_request_id=pr.pk, status="great") == (
        "Invalid type for `status` arg in JSON DATA: expected one of "
        "not_reviewed, under_review, approved, rejected"
    )
    assert (
        api.error(bob.api_key, "comment_pullrequest", pull_request_id=pr.pk)
        == "Please write a comment or choose a status."
    )
    assert api.ok(alice.api_key, "comment_pullrequest", pull_request_id=pr.pk, close_pr=True) is True
    assert PullRequest.objects.get(pk=pr.pk).state == PullRequest.CLOSED
    assert (
        api.error(alice.api_key, "comment_pullrequest", pull_request_id=pr.pk, comment_msg="again")
        == "pull request is already closed"
    )


def test_edit_reviewers(api, pr, alice, bob, make_user):
    carol = make_user("carol")
    assert api.error(carol.api_key, "edit_reviewers", pull_request_id=pr.pk, add="carol") == (
        "No permission to edit reviewers of this pull request. User needs to be admin or pull request owner."
    )
    assert (
        api.error(alice.api_key, "edit_reviewers", pull_request_id=pr.pk)
        == "Invalid request. Neither 'add' nor 'remove' is specified."
    )
    assert api.ok(
        alice.api_key, "edit_reviewers", pull_request_id=pr.pk, add=["carol", "bob"], remove=bob.pk
    ) == {"added": ["carol"], "already_present": ["bob"], "removed": ["bob"]}
    assert sorted(pr.reviewers.values_list("user__username", flat=True)) == ["carol"]
    assert (
        api.error(alice.api_key, "edit_reviewers", pull_request_id=pr.pk, add="nobody")
        == "user `nobody` does not exist"
    )
