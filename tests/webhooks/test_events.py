"""Which actions record which webhook events, and what the bodies say."""

import json

import pytest

from lindos.review.actions import (
    do_comment_on_changeset,
    do_comment_on_pull_request,
    do_create_pull_request,
    do_update_pull_request,
)
from lindos.webhooks.models import Webhook, WebhookDelivery
from tests.api.conftest import push_commits

ALL = ["push", "pull_request_opened", "pull_request_updated", "pull_request_closed", "comment", "status"]


def events():
    return [(d.event, json.loads(d.payload)) for d in WebhookDelivery.objects.order_by("id")]


@pytest.fixture
def world(git, tmp_path, server_url, make_user, make_repo):
    alice, bob = make_user("alice"), make_user("bob")
    repo = make_repo("proj", owner=alice)
    push_commits(git, tmp_path, server_url, alice, "proj", {"a": "1\n"})
    work = push_commits(git, tmp_path, server_url, alice, "proj", {"b": "2\n"}, branch="feature")
    Webhook.objects.create(repository=repo, url="https://ci.example.com/", events=ALL)
    return alice, bob, repo, work


def test_pull_request_lifecycle(world, git, tmp_path, server_url):
    alice, bob, repo, work = world
    pr = do_create_pull_request(
        owner=alice,
        source_repo=repo,
        source_ref_kind="branch",
        source_ref="feature",
        target_repo=repo,
        target_branch="main",
        title="Add b",
        reviewers=[bob],
    )
    ((event, body),) = events()
    assert event == "pull_request_opened"
    assert body["pull_request"]["pull_request_id"] == pr.pk
    assert body["pull_request"]["source_ref"] == "feature" and body["sender"]["username"] == "alice"

    (work / "c").write_text("3\n")
    git("add", "c", cwd=work)
    git("commit", "-q", "-m", "c", cwd=work)
    git("push", "-q", "origin", "feature", cwd=work)  # push -> new iteration
    kinds = [e for e, _ in events()]
    assert kinds[1:] == ["push", "pull_request_updated"]
    assert do_update_pull_request(pr) is None  # nothing moved: no event
    assert len(events()) == 3

    do_comment_on_pull_request(pr=pr, author=bob, text="nice", status="approved")
    do_comment_on_pull_request(pr=pr, author=alice, text="", close=True)
    kinds = [e for e, _ in events()][3:]
    assert kinds == ["comment", "status", "pull_request_closed"]
    comment_body = events()[3][1]
    assert (
        comment_body["comment"]["text"] == "nice" and comment_body["pull_request"]["pull_request_id"] == pr.pk
    )
    assert events()[4][1]["status"] == {
        "status": "approved",
        "reviewer": "bob",
        "comment_id": comment_body["comment"]["comment_id"],
    }
    assert events()[5][1]["pull_request"]["state"] == "closed"


def test_changeset_comment(world):
    alice, bob, repo, _work = world
    from lindos.vcs import open_repository

    rev = open_repository(repo.path).get_changeset("main").id
    WebhookDelivery.objects.all().delete()
    do_comment_on_changeset(repo=repo, revision=rev, author=bob, text="hmm", status="rejected")
    (e1, b1), (e2, b2) = events()
    assert (e1, e2) == ("comment", "status")
    assert b1["changeset"]["raw_id"] == rev and b2["status"]["status"] == "rejected"
