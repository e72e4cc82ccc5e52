"""Pull requests through the pages: create, review, vote, reviewers, edit,
close, update on push, lists; with the mails each step leaves."""

import re

import pytest

from lindos.repos.journal import RefChange
from lindos.repos.signals import repository_pushed
from lindos.review.models import Comment, PullRequest
from tests.review.conftest import clear_outbox, outbox, parsed, recipients

pytestmark = pytest.mark.django_db


def create(client, project, **data):
    values = {
        "source_repo": "project",
        "source_ref": "feature",
        "target_ref": "branch:master",
        "title": "Add the feature",
        "description": "",
        "reviewers": "",
    }
    values.update(data)
    return client.post(project.url("pull-request/new"), values)


@pytest.fixture
def pr(client, project, people):
    """bob's pull request from feature into master, reviewed by alice and carol."""
    client.force_login(people["bob"])
    response = create(
        client, project, reviewers="alice carol", description="Adds it. @dave <script>alert(1)</script>"
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    clear_outbox()
    return PullRequest.objects.get()


def act(client, pr, user, **data):
    client.force_login(user)
    data.setdefault("action", "comment")
    data.setdefault("token", "")
    return client.post(f"/project/pull-request/{pr.pk}", data)


def test_create_mails_reviewers_mentioned_and_creator(client, project, people):
    client.force_login(people["bob"])
    response = create(client, project, reviewers="alice, carol", description="cc @dave")
    pr = PullRequest.objects.get()
    assert response["Location"] == f"/project/pull-request/{pr.pk}/add-the-feature"
    rows = outbox()
    assert recipients(rows) == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dave@example.com",
    ]
    assert {r[1] for r in rows} == {
        f'[Lindos] [Review] project PR #{pr.pk} "Add the feature" from feature by bob'
    }
    assert {parsed(r[3])["X-Kallithea-Notification-Type"] for r in rows} == {"pull_request"}
    assert [len(i.revisions) for i in pr.iterations.all()] == [2]


def test_page_shows_changesets_diff_reviewers_and_status(client, project, pr, people):
    page = client.get(f"/project/pull-request/{pr.pk}").content.decode()
    assert client.get(pr.url).status_code == 200
    assert "Feature one" in page and "Feature two" in page
    assert (
        "Combined diff: 2 files" in page
        and "feature.txt" in page
        and "<span class=\"s1\">'feature'</span>" in page
    )
    assert 'Alice Liddell</strong> <span class="badge status-not_reviewed">Not reviewed' in page
    assert 'id="pr-status">Not reviewed' in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page


def test_unknown_reviewers_are_named(client, project, people):
    client.force_login(people["bob"])
    response = create(client, project, reviewers="alice ghost phantom")
    assert response.status_code == 400
    assert "No such user: ghost, phantom" in response.content.decode()
    assert PullRequest.objects.count() == 0 and outbox() == []


def test_nothing_to_merge_is_refused(client, project, people):
    client.force_login(people["bob"])
    response = create(client, project, source_ref="master")
    assert response.status_code == 400
    assert "has no changesets that are not already in master" in response.content.decode()
    assert PullRequest.objects.count() == 0


def test_unknown_source_is_refused(client, project, people):
    client.force_login(people["bob"])
    response = create(client, project, source_ref="nope")
    assert "is not a revision of project" in response.content.decode()


def test_pull_request_from_a_revision(client, project, people):
    client.force_login(people["bob"])
    create(client, project, source_ref=project.ids[2][:10])
    pr = PullRequest.objects.get()
    assert (pr.source_ref_kind, pr.source_ref) == ("rev", project.ids[2])
    assert pr.latest_iteration().revisions == [project.ids[2]]


def test_comments_votes_and_close(client, project, pr, people):
    # a reviewer rejects: owner and the other reviewer are told
    act(client, pr, people["carol"], text="Needs work", status="rejected")
    rows = outbox()
    assert recipients(rows) == ["alice@example.com", "bob@example.com"]
    assert {r[1] for r in rows} == {
        f'[Lindos] [Not approved: Comment] project PR #{pr.pk} "Add the feature" from feature by bob'
    }
    assert {r[2] for r in rows} == {"pull_request_comment"}
    page = client.get(pr.url).content.decode()
    assert 'id="pr-status">Not approved' in page
    # a non-reviewer comments (no vote allowed); earlier commenter carol is told
    clear_outbox()
    response = act(client, pr, people["dave"], text="drive-by", status="approved")
    assert (
        response.status_code == 400
        and "Only reviewers, the owner or an admin can set the status." in response.content.decode()
    )
    act(client, pr, people["dave"], text="drive-by")
    assert recipients(outbox()) == ["alice@example.com", "bob@example.com", "carol@example.com"]
    # both approve: overall approved
    act(client, pr, people["carol"], status="approved")
    act(client, pr, people["alice"], text="fine", status="approved")
    assert 'id="pr-status">Approved' in client.get(pr.url).content.decode()
    # only the owner (or an admin) closes
    clear_outbox()
    assert act(client, pr, people["carol"], text="bye", close="on").status_code == 400
    assert act(client, pr, people["bob"], text="Merged by hand", close="on").status_code == 302
    pr.refresh_from_db()
    assert not pr.is_open
    rows = outbox()
    assert recipients(rows) == ["alice@example.com", "carol@example.com", "dave@example.com"]
    assert rows[0][1].startswith(f"[Lindos] [Closing: Comment] project PR #{pr.pk}")
    # closed: comments still, votes no more
    assert act(client, pr, people["carol"], status="rejected").status_code == 400
    assert act(client, pr, people["carol"], text="late note").status_code == 302


def test_empty_comment_is_refused_and_double_submit_is_one(client, project, pr, people):
    response = act(client, pr, people["carol"], text="")
    assert response.status_code == 400
    assert "Please write a comment or choose a status." in response.content.decode()
    act(client, pr, people["carol"], text="once", token="abc")
    act(client, pr, people["carol"], text="once", token="abc")
    assert Comment.objects.count() == 1 and len(outbox()) == 2


def test_inline_comment_on_the_pull_request(client, project, pr, people):
    assert (
        act(client, pr, people["carol"], text="why?", path="src/app.py", line="8", side="new").status_code
        == 302
    )
    assert (
        act(client, pr, people["carol"], text="x", path="src/app.py", line="80", side="new").status_code
        == 404
    )
    assert (
        act(client, pr, people["carol"], text="x", path="feature.txt", line="1", side="old").status_code
        == 404
    )  # the file is new: no old side
    text = parsed(outbox()[0][3]).get_body(("plain",)).get_content()
    assert "On src/app.py, line 8 (new version):" in text and "print('feature')" in text
    assert "src/app.py:8 (new)" in client.get(pr.url).content.decode()


def test_reviewers_added_and_removed(client, project, pr, people):
    client.force_login(people["bob"])
    carol = people["carol"]
    response = client.post(
        f"/project/pull-request/{pr.pk}", {"action": "reviewers", "add": "dave carol", "remove": [carol.pk]}
    )
    assert response.status_code == 302
    assert sorted(r.user.username for r in pr.reviewers.all()) == ["alice", "dave"]
    [(to, subject, kind, message)] = outbox()
    assert (to, kind) == ("dave@example.com", "pull_request")
    assert subject.startswith(f"[Lindos] [Review] project PR #{pr.pk}")
    # The description as its page shows it, mention linked (absolute in mail).
    html = parsed(message).get_body(("html",)).get_content()
    page = client.get(pr.url).content.decode()
    shown = '<a class="mention" href="/_profile/dave" title="dave" rel="nofollow noopener noreferrer">@dave</a> &lt;script&gt;'
    assert shown in page
    assert re.search(
        r'<a class="mention" href="https?://[^"/]+/_profile/dave" title="dave" '
        r'rel="nofollow noopener noreferrer">@dave</a> &lt;script&gt;',
        html,
    )
    response = client.post(f"/project/pull-request/{pr.pk}", {"action": "reviewers", "add": "zed"})
    assert response.status_code == 400 and "No such user: zed" in response.content.decode()
    client.force_login(people["carol"])
    assert (
        client.post(f"/project/pull-request/{pr.pk}", {"action": "reviewers", "add": "admin"}).status_code
        == 403
    )


def test_reviewer_without_read_access_is_refused(client, project, people):
    project.row.private = True
    project.row.save()
    client.force_login(people["olga"])
    response = create(client, project, reviewers="carol")
    assert response.status_code == 400
    assert "no read access to project): carol" in response.content.decode()


def test_edit_title_and_description(client, project, pr, people):
    client.force_login(people["bob"])
    response = client.post(
        f"/project/pull-request/{pr.pk}",
        {"action": "edit", "title": "Better title", "description": "**new**"},
    )
    assert response.status_code == 302
    page = client.get(f"/project/pull-request/{pr.pk}").content.decode()
    assert "Better title" in page and "<strong>new</strong>" in page
    assert outbox() == []
    client.force_login(people["carol"])
    assert (
        client.post(f"/project/pull-request/{pr.pk}", {"action": "edit", "title": "mine now"}).status_code
        == 403
    )


def test_push_to_the_source_branch_adds_an_iteration(client, project, pr, people, repo_root):
    import subprocess

    from lindos.vcs.process import git_env
    from lindos.vcs.testing import build_fast_import_stream, run_fast_import

    old_head = project.ids[3]
    stream = build_fast_import_stream(
        [{"message": "Feature three", "branch": "feature", "files": {"three.txt": "3\n"}}]
    )
    stream = stream.replace(
        b"data 13\nFeature three\n", b"data 13\nFeature three\nfrom " + old_head.encode() + b"\n", 1
    )
    new_head = run_fast_import(repo_root / "project", stream)[1]
    subprocess.run(
        ["git", "--git-dir", str(repo_root / "project"), "rev-parse", new_head],
        env=git_env(),
        check=True,
        capture_output=True,
    )
    repository_pushed.send(
        sender=None,
        repository_id=project.row.pk,
        user_id=people["bob"].pk,
        ref_changes=[RefChange("refs/heads/feature", old_head, new_head)],
    )
    iterations = list(pr.iterations.all())
    assert [len(i.revisions) for i in iterations] == [2, 3]
    page = client.get(pr.url).content.decode()
    assert "Iteration 2: 3 changesets" in page and "Feature three" in page
    old = client.get(pr.url + "?iteration=1").content.decode()
    assert "Iteration 1 (not the latest): 2 changesets" in old and "Feature three" not in old
    # the same push announced again changes nothing
    repository_pushed.send(
        sender=None,
        repository_id=project.row.pk,
        user_id=None,
        ref_changes=[RefChange("refs/heads/feature", old_head, new_head)],
    )
    assert pr.iterations.count() == 2


def test_lists(client, project, pr, people):
    client.force_login(people["carol"])
    assert "Add the feature" in client.get("/project/pull-request").content.decode()
    assert "Add the feature" not in client.get("/project/pull-request?closed=1").content.decode()
    mine = client.get("/my_pullrequests").content.decode()
    awaiting = mine.split('id="awaiting"')[1].split('id="mine"')[0]
    assert "Add the feature" in awaiting
    act(client, pr, people["carol"], status="approved")
    mine = client.get("/my_pullrequests").content.decode()
    assert "Add the feature" not in mine.split('id="awaiting"')[1].split('id="mine"')[0]
    client.force_login(people["bob"])
    mine = client.get("/my_pullrequests").content.decode()
    assert "Add the feature" in mine.split('id="mine"')[1]


def test_pull_request_of_an_unreadable_repository_is_404(client, project, pr, people):
    project.row.private = True
    project.row.save()
    client.force_login(people["dave"])
    assert client.get(pr.url).status_code == 404
    assert act(client, pr, people["dave"], text="x").status_code == 404
    assert client.get("/project/pull-request").status_code == 404
    assert "Add the feature" not in client.get("/my_pullrequests").content.decode()


def test_pull_request_from_a_fork(client, project, people):
    from lindos.repos.actions import do_fork_repository

    fork = do_fork_repository(project.row, name="bob/project", owner=people["bob"])
    client.force_login(people["bob"])
    response = create(client, project, source_repo="bob/project", reviewers="carol")
    assert response.status_code == 302, response.content.decode()[-1500:]
    pr = PullRequest.objects.get()
    assert pr.source_repo == fork and pr.target_repo == project.row
    page = client.get(pr.url).content.decode()
    assert "Feature two" in page and "/bob/project/changeset/" in page
    act(client, pr, people["carol"], text="ok", status="approved")
    assert recipients(outbox(notification_type="pull_request_comment")) == ["bob@example.com"]


def test_repo_routes_are_not_shadowed(client, project, people):
    assert client.get("/project").status_code == 200
    assert client.get("/project/changelog").status_code == 200
    assert client.get("/project/pull-request/new").status_code == 302  # log in first
    client.force_login(people["carol"])
    assert client.get("/project/pull-request/new").status_code == 200
    assert client.get("/project/pull-request/999").status_code == 404


def test_an_admin_who_is_not_a_reviewer_may_set_the_status(client, project, pr, people):
    # Kallithea let admins vote; "Only reviewers can set the status" refused them.
    page = act(client, pr, people["admin"], text="", status="approved")
    assert page.status_code == 302
    assert set(pr.comments.get().status_changes.values_list("status", flat=True)) == {"approved"}


def test_refusals_show_on_the_form_and_store_nothing(client, project, pr, people):
    response = act(client, pr, people["dave"], text="closing it", close="on")
    assert response.status_code == 400
    assert "Only the owner or an admin can close the pull request." in response.content.decode()
    pr.refresh_from_db()
    assert pr.is_open and not pr.comments.exists()


def admin_log():
    from lindos.activity.models import ActionLog

    return [
        (a.username, a.action, a.repository_name, a.detail, a.address)
        for a in ActionLog.objects.order_by("created_at", "id")
    ]


def test_comments_closing_and_reviewers_write_the_admin_log_as_the_api_does(client, project, pr, people):
    n = str(pr.pk)
    act(client, pr, people["dave"], text="drive-by", status="approved")  # refused: no vote for dave
    act(client, pr, people["carol"], text="", close="on")  # refused: carol may not close
    assert admin_log() == []
    act(client, pr, people["carol"], text="Fine", status="approved")
    client.force_login(people["bob"])
    client.post(f"/project/pull-request/{pr.pk}", {"action": "reviewers", "add": "zed"})  # refused
    client.post(f"/project/pull-request/{pr.pk}", {"action": "reviewers", "add": "dave"})
    act(client, pr, people["bob"], text="Merged", close="on")
    assert admin_log() == [
        ("carol", "user_commented_pull_request", "project", n, "127.0.0.1"),
        ("bob", "user_edited_pull_request_reviewers", "project", n, "127.0.0.1"),
        ("bob", "user_commented_pull_request", "project", n, "127.0.0.1"),
        ("bob", "user_closed_pull_request", "project", n, "127.0.0.1"),
    ]
