"""A request records a notification; a worker expands it later.  Who is
mailed is decided by what was true when the action happened, whatever
changed on the pull request before the worker got to it."""

import pytest

from lindos.notifications import events as ev
from lindos.review.models import PullRequest
from tests.review.conftest import clear_outbox, outbox, parsed, recipients
from tests.review.test_pull_requests import act, create

pytestmark = pytest.mark.django_db


def review_mails(rows) -> dict[str, list[str]]:
    """{address: ["created" or "reviewers added", ...]} for the pull_request mails."""
    found: dict[str, list[str]] = {}
    for to, _, kind, message in rows:
        if kind == "pull_request":
            body = parsed(message).get_body(("plain",)).get_content()
            found.setdefault(to, []).append("created" if "opened pull request" in body else "reviewers added")
    return found


def test_a_reviewer_added_before_the_creation_mail_went_out_gets_only_the_added_mail(client, project, people):
    client.force_login(people["bob"])
    assert create(client, project, reviewers="alice", description="cc @dave").status_code == 302
    pr = PullRequest.objects.get()
    # Before any worker expanded the "created" notification:
    assert (
        client.post(f"/project/pull-request/{pr.pk}", {"action": "reviewers", "add": "carol"}).status_code
        == 302
    )
    assert (
        client.post(
            f"/project/pull-request/{pr.pk}", {"action": "edit", "title": pr.title, "description": "cc @olga"}
        ).status_code
        == 302
    )

    assert review_mails(outbox()) == {
        "alice@example.com": ["created"],  # the reviewer chosen at creation
        "bob@example.com": ["created"],  # the creator is informed
        "dave@example.com": ["created"],  # mentioned in the description as created
        "carol@example.com": ["reviewers added"],  # added later: that mail only
    }


def test_a_comment_mails_the_reviewers_of_its_time(client, project, people):
    client.force_login(people["bob"])
    assert create(client, project, reviewers="alice").status_code == 302
    pr = PullRequest.objects.get()
    clear_outbox()
    act(client, pr, people["carol"], text="drive-by")
    # dave becomes a reviewer after the comment, before its mail is expanded.
    client.force_login(people["bob"])
    assert (
        client.post(f"/project/pull-request/{pr.pk}", {"action": "reviewers", "add": "dave"}).status_code
        == 302
    )

    rows = outbox()
    by_type = {}
    for to, _, kind, _ in rows:
        by_type.setdefault(kind, []).append(to)
    assert sorted(by_type["pull_request_comment"]) == ["alice@example.com", "bob@example.com"]
    assert by_type["pull_request"] == ["dave@example.com"]
    assert recipients(rows) == ["alice@example.com", "bob@example.com", "dave@example.com"]


def test_events_recorded_by_an_older_version_still_load():
    created = ev.event_from_json('{"type": "PullRequestCreated", "actor_id": 1, "pull_request_id": 5}')
    assert created == ev.PullRequestCreated(actor_id=1, pull_request_id=5)
    assert created.reviewer_ids is None and created.description is None
    commented = ev.event_from_json('{"type": "PullRequestCommented", "actor_id": 1, "comment_id": 7}')
    assert commented.reviewer_ids is None
    event = ev.PullRequestCreated(actor_id=1, pull_request_id=5, reviewer_ids=(3, 4), description="cc @dave")
    assert ev.event_from_json(event.to_json()) == event
