"""Opening a pull request from a fork, in a real browser.

bob forks alice's repository, pushes a branch to his fork with the real
``git`` while alice's master moves on; on his fork's "New pull request"
the parent is the target, both sides are lists of branches and tags, and
the changesets and diff are previewed as he chooses (static JS, no inline
script under the page's Content-Security-Policy), before he creates it.
"""

from urllib.parse import quote

import pytest

from tests.browser.conftest import shoot
from tests.browser.test_review_flow import APP, commit, git, log_in, smtp  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pull_request_from_a_fork(live_server, browser, smtp, git, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user
    from lindos.repos.actions import do_create_repository, do_fork_repository
    from lindos.review.models import PullRequest

    users = {
        name: do_create_user(username=name, email=f"{name}@example.com", password=f"{name}-pw")
        for name in ("alice", "bob", "carol")
    }
    parent = do_create_repository(name="team/project", kind="git", owner=users["alice"])
    base = live_server.url
    host = base.split("//", 1)[1]

    def push_url(user, name):
        return f"http://{user}:{quote(user + '-pw')}@{host}/{name}"

    work = tmp_path / "work"
    git("init", "-q", "-b", "master", str(work))
    commit(git, work, "src/app.py", APP, "Initial import")
    git("push", "-q", push_url("alice", "team/project"), "master", cwd=work)
    git("tag", "v1.0", cwd=work)
    git("push", "-q", push_url("alice", "team/project"), "v1.0", cwd=work)
    fork = do_fork_repository(parent, name="bob/project", owner=users["bob"])

    # bob works on a branch of his fork; alice's master moves on meanwhile
    git("checkout", "-q", "-b", "feature", cwd=work)
    commit(git, work, "feature.txt", "one\n", "Start the feature")
    commit(git, work, "src/app.py", APP.replace("return 1", "return 2"), "Finish the feature")
    git("push", "-q", push_url("bob", "bob/project"), "feature", cwd=work)
    git("checkout", "-q", "master", cwd=work)
    commit(git, work, "README.md", "# Project\n", "Alice moves on")
    git("push", "-q", push_url("alice", "team/project"), "master", cwd=work)

    bob = log_in(browser, base, "bob", "bob-pw")
    violations = []
    bob.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    # the clone URL's copy button puts the URL on the clipboard
    bob.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    bob.goto(f"{base}/bob/project")
    bob.locator('button[data-copy="clone-url"]').click()
    expect(bob.locator('button[data-copy="clone-url"]')).to_have_text("Copied")
    assert bob.evaluate("navigator.clipboard.readText()") == bob.locator("#clone-url").input_value()
    assert bob.locator("#clone-url").input_value().endswith("/bob/project")

    bob.goto(f"{base}/bob/project/pull-request")
    bob.get_by_role("link", name="New pull request").click()
    expect(bob.get_by_label("Into repository")).to_have_value("team/project")
    into_ref = bob.get_by_label("Into branch, bookmark or tag")
    expect(into_ref).to_have_value("branch:master")
    assert into_ref.locator("optgroup[label=Tags] option").all_inner_texts() == ["v1.0"]

    # choosing the source refreshes the preview: bob's two changesets, not alice's
    bob.get_by_label("From branch, bookmark or tag").select_option("branch:feature")
    preview = bob.locator("#pr-preview")
    expect(preview.locator(".preview-head")).to_have_text("2 changesets from bob/project into master")
    expect(preview.locator("table.changes")).to_contain_text("Start the feature")
    expect(preview.locator("table.changes")).to_contain_text("Finish the feature")
    expect(preview).not_to_contain_text("Alice moves on")
    expect(preview.locator(".diff-file")).to_have_count(2)
    shoot(bob, "pull-request-new-fork-1280.png")

    # into his own fork's master instead: the target's list is reloaded
    bob.get_by_label("Into repository").select_option("bob/project")
    expect(into_ref.locator("option[value='branch:feature']")).to_have_count(1)
    expect(preview.locator(".preview-head")).to_have_text("2 changesets from bob/project into master")
    bob.get_by_label("Into repository").select_option("team/project")
    expect(into_ref.locator("option[value='branch:feature']")).to_have_count(0)

    bob.get_by_label("Title").fill("Add the feature")
    bob.get_by_label("Reviewers").fill("carol")
    bob.get_by_role("button", name="Create pull request").click()
    expect(bob.locator("#pr-status")).to_have_text("Not reviewed")
    pr = PullRequest.objects.get()
    assert (pr.source_repo_id, pr.target_repo_id, pr.source_ref, pr.target_branch) == (
        fork.pk,
        parent.pk,
        "feature",
        "master",
    )
    assert bob.url.startswith(f"{base}/team/project/pull-request/{pr.pk}/")
    expect(bob.locator("table.changes")).to_contain_text("Finish the feature")
    assert violations == []
