"""Comment and pull request mails carry absolute links, on canonical_url or,
without it, on the trusted address the action came in on (Kallithea's
behaviour); never relative ones (issue "first hour", item 1)."""

import dataclasses
import re

import pytest

from lindos.review.models import Comment, PullRequest
from tests.review.conftest import outbox, parsed

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:5000"


@pytest.fixture
def no_canonical(settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="")


def links_in(message: str) -> set[str]:
    mail = parsed(message)
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    found = {link.rstrip(".,") for link in re.findall(r"https?://[^\s\"<>)]+", text)}
    return found | set(re.findall(r'href="([^"]+)"', html))


def all_absolute_on(rows, base):
    found = set()
    for row in rows:
        for link in links_in(row[3]):
            assert link.startswith(base + "/") or link == base, link
            found.add(link)
    return found


@pytest.mark.parametrize(
    "canonical, base", [("", f"http://{HOST}"), ("https://code.example.com", "https://code.example.com")]
)
def test_changeset_comment_mail_links(client, project, people, settings, canonical, base):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url=canonical)
    client.force_login(people["carol"])
    rev = project.ids[0]
    client.post(project.url(f"changeset_comment/{rev}"), {"text": "Nice", "token": ""}, HTTP_HOST=HOST)
    comment = Comment.objects.get()
    found = all_absolute_on(outbox(), base)
    assert f"{base}/project/changeset/{rev}#comment-{comment.pk}" in found


def test_pull_request_and_its_comment_mail_links(client, project, people, no_canonical):
    base = f"http://{HOST}"
    client.force_login(people["bob"])
    client.post(
        project.url("pull-request/new"),
        {
            "source_repo": "project",
            "source_ref": "feature",
            "target_ref": "branch:master",
            "title": "Add the feature",
            "description": "",
            "reviewers": "alice",
        },
        HTTP_HOST=HOST,
    )
    pr = PullRequest.objects.get()
    found = all_absolute_on(outbox(), base)
    assert any(link.startswith(f"{base}/project/pull-request/{pr.pk}") for link in found)

    client.force_login(people["alice"])
    client.post(
        f"/project/pull-request/{pr.pk}", {"action": "comment", "token": "", "text": "LGTM"}, HTTP_HOST=HOST
    )
    comment = Comment.objects.get()
    rows = outbox(notification_type="pull_request_comment")
    assert rows
    found = all_absolute_on(rows, base)
    assert any(
        link.startswith(f"{base}/project/pull-request/{pr.pk}") and link.endswith(f"#comment-{comment.pk}")
        for link in found
    )
