"""Comparing branches and editing a file, in a real browser.

alice pushes master and a feature branch with the real ``git`` over
HTTP. On the compare page she sees what feature brings, and its button
opens the new pull request form filled in; she creates the pull request
with carol as reviewer (a real SMTP server gets the mails). She then edits
a file of feature in the browser: the commit is hers, the pull request
gets its second iteration, and the mail that follows is the same as for a
push (which makes the third). Last, a page left open while someone pushes
gives a conflict that keeps her text, and nothing is lost; ``git pull``
brings the web commits to her clone.
"""

from urllib.parse import quote

import pytest

from tests.browser.conftest import shoot
from tests.browser.test_review_flow import APP, Mailbox, commit, git, log_in, smtp  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compare_then_edit_in_the_browser(live_server, browser, smtp, git, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user
    from lindos.repos.actions import do_create_repository
    from lindos.review.models import PullRequest

    users = {}
    for name, first, last in (("alice", "Alice", "Liddell"), ("carol", "Carol", "Reviewer")):
        users[name] = do_create_user(username=name, email=f"{name}@example.com", password=f"{name}-pw")
        users[name].first_name, users[name].last_name = first, last
        users[name].save()
    do_create_repository(name="team/project", kind="git", owner=users["alice"], private=True)
    from lindos.repos.actions import do_set_permission
    from lindos.repos.models import Repository

    do_set_permission(Repository.objects.get(name="team/project"), users["carol"], "read")
    mail = Mailbox(smtp)
    base = live_server.url
    push_url = f"http://alice:{quote('alice-pw')}@{base.split('//', 1)[1]}/team/project"

    work = tmp_path / "work"
    git("init", "-q", "-b", "master", str(work))
    commit(git, work, "src/app.py", APP, "Initial import")
    git("push", "-q", push_url, "master", cwd=work)
    git("checkout", "-q", "-b", "feature", cwd=work)
    commit(git, work, "feature.txt", "one\n", "Start the feature")
    git("push", "-q", push_url, "feature", cwd=work)

    alice = log_in(browser, base, "alice", "alice-pw")
    violations = []
    alice.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    # the compare form: choose both sides, see what feature brings
    alice.goto(f"{base}/team/project/compare")
    alice.get_by_label("team/project@").first.select_option("branch:master")
    alice.locator("#compare_other").select_option("branch:feature")
    alice.get_by_role("button", name="Compare Revisions").click()
    expect(alice.locator(".compare-head")).to_have_text(
        "1 changeset in team/project@feature not in team/project@master"
    )
    expect(alice.locator("table.changes")).to_contain_text("Start the feature")
    expect(alice.locator(".diff-file")).to_contain_text("feature.txt")
    shoot(alice, "compare-1280.png")

    # its button opens the new pull request, filled in
    alice.get_by_role("link", name="Create pull request").click()
    expect(alice.get_by_label("From branch, bookmark or tag")).to_have_value("branch:feature")
    expect(alice.get_by_label("Into branch, bookmark or tag")).to_have_value("branch:master")
    expect(alice.locator("#pr-preview .preview-head")).to_have_text(
        "1 changeset from team/project into master"
    )
    alice.get_by_label("Title").fill("Add the feature")
    alice.get_by_label("Reviewers").fill("carol")
    alice.get_by_role("button", name="Create pull request").click()
    expect(alice.locator("#pr-status")).to_have_text("Not reviewed")
    pr_url = alice.url
    pr = PullRequest.objects.get()
    review = f'team/project PR #{pr.pk} "Add the feature" from feature by alice'
    assert mail.new() == [
        ("alice@example.com", f"[Lindos] [Review] {review}", "pull_request"),
        ("carol@example.com", f"[Lindos] [Review] {review}", "pull_request"),
    ]

    # alice edits feature.txt on feature in the browser
    alice.goto(f"{base}/team/project/files/feature/feature.txt")
    alice.get_by_role("link", name="Edit", exact=True).click()
    expect(alice.get_by_label("Content of feature.txt")).to_have_value("one\n")
    alice.get_by_label("Content of feature.txt").fill("one\ntwo\n")
    alice.get_by_label("Commit message").fill("Second line, from the web")
    shoot(alice, "edit-1280.png")
    alice.get_by_role("button", name="Commit changes").click()
    expect(alice.locator(".flash-success")).to_have_text("Successfully committed to feature.txt")
    expect(alice.locator("body")).to_contain_text("Second line, from the web")
    web_mail = mail.new()

    alice.goto(pr_url)
    expect(alice.get_by_role("heading", name="Iteration 2: 2 changesets")).to_be_visible()

    # the same as a push: alice pulls her web commit and pushes another
    git("pull", "-q", push_url, "feature", cwd=work)
    assert (work / "feature.txt").read_text() == "one\ntwo\n"
    log = git("log", "-1", "--format=%an <%ae>|%s", cwd=work).strip()
    assert log == "Alice Liddell <alice@example.com>|Second line, from the web"
    commit(git, work, "feature.txt", "one\ntwo\nthree\n", "Third line, pushed")
    git("push", "-q", push_url, "feature", cwd=work)
    alice.goto(pr_url)
    expect(alice.get_by_role("heading", name="Iteration 3: 3 changesets")).to_be_visible()
    assert web_mail == mail.new()

    # a page left open while someone pushes: a conflict, her text kept
    alice.goto(f"{base}/team/project/edit/feature/feature.txt")
    commit(git, work, "feature.txt", "pushed meanwhile\n", "Pushed meanwhile")
    git("push", "-q", push_url, "feature", cwd=work)
    pushed = git("rev-parse", "HEAD", cwd=work).strip()
    alice.get_by_label("Content of feature.txt").fill("my version\n")
    alice.get_by_role("button", name="Commit changes").click()
    expect(alice.locator(".edit-conflict")).to_contain_text("feature has changed since this page was loaded")
    expect(alice.get_by_label("Content of feature.txt")).to_have_value("my version\n")
    shoot(alice, "edit-conflict-1280.png")
    git("fetch", "-q", push_url, "feature", cwd=work)
    assert git("rev-parse", "FETCH_HEAD", cwd=work).strip() == pushed
    # submitting again, from the new tip, commits it
    alice.get_by_role("button", name="Commit changes").click()
    expect(alice.locator(".flash-success")).to_have_text("Successfully committed to feature.txt")
    git("pull", "-q", push_url, "feature", cwd=work)
    assert (work / "feature.txt").read_text() == "my version\n"
    assert git("rev-parse", "HEAD~1", cwd=work).strip() == pushed

    # carol may read but not edit: no Edit button, and the page is refused
    carol = log_in(browser, base, "carol", "carol-pw")
    carol.goto(f"{base}/team/project/files/feature/feature.txt")
    expect(carol.get_by_role("link", name="Show as Raw")).to_be_visible()
    expect(carol.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    assert carol.goto(f"{base}/team/project/edit/feature/feature.txt").status == 403
    assert violations == []
