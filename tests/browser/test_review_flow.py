"""Code review in a real browser, two people at once.

alice owns a private repository and pushes to it with the real ``git``
over HTTP; carol (granted read access) comments inline on a changeset and
approves it.  alice opens a pull request with carol as reviewer; carol
rejects it, alice pushes again (a new iteration), carol approves, alice
closes it.  A real SMTP server receives every mail; each one's recipients,
subject and X-Kallithea-Notification-Type are checked.  dave, @mentioned
but without access to the repository, never gets a mail.

Chromium (Debian's) headless through Playwright, against the live server;
mail is delivered by the outbox's own delivery function after each step.
"""

import dataclasses
import os
from urllib.parse import quote

import pytest

from tests.browser.conftest import shoot
from tests.gitclient import git_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APP = "import os\n\n\ndef main():\n    return 1\n\n\nmain()\n"


@pytest.fixture
def smtp(settings, monkeypatch, tmp_path):
    from tests.smtpd import SMTPTestServer, use_smtp_server

    server = SMTPTestServer("plain").start()
    use_smtp_server(settings, monkeypatch, server)
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS,
        email_prefix="[Lindos]",
        app_email_from="Lindos <lindos@example.com>",
        canonical_url="https://lindos.example.com",
        base_path=str(tmp_path / "repos"),
    )
    os.makedirs(settings.LINDOS.base_path)
    yield server
    server.stop()


class Mailbox:
    """Deliver what the outbox holds, and hand out the mails not seen yet."""

    def __init__(self, server):
        self.server, self.seen = server, 0

    def new(self) -> list[tuple[str, str, str]]:
        from lindos.notifications.delivery import deliver_due

        deliver_due()
        fresh = self.server.messages[self.seen :]
        self.seen = len(self.server.messages)
        # .strip(): the email package may fold right after "Subject:", and
        # parsing keeps that fold's space; mail clients do not show it.
        return sorted(
            (
                ",".join(m.rcpt_tos),
                str(m.message["Subject"]).strip(),
                str(m.message["X-Kallithea-Notification-Type"]),
            )
            for m in fresh
        )


@pytest.fixture
def git(tmp_path):
    client = git_client(tmp_path / "home", "Alice Liddell", "alice@example.com")
    return lambda *args, cwd=None: client(*args, cwd=cwd).stdout


def commit(git, work, path, content, message):
    (work / path).parent.mkdir(parents=True, exist_ok=True)
    (work / path).write_text(content)
    git("add", path, cwd=work)
    git("commit", "-q", "-m", message, cwd=work)
    return git("rev-parse", "HEAD", cwd=work).strip()


def log_in(browser, base, username, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base + "/_admin/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector("header .who")
    return page


def test_review_flow(live_server, browser, smtp, git, tmp_path):
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user
    from lindos.repos.actions import do_create_repository, do_set_permission

    users = {}
    for name, first, last in (
        ("alice", "Alice", "Liddell"),
        ("carol", "Carol", "Reviewer"),
        ("dave", "Dave", "Outsider"),
    ):
        users[name] = do_create_user(
            username=name, email=f"{name}@example.com", password=f"{name}-pw", is_admin=False, is_active=True
        )
        users[name].first_name, users[name].last_name = first, last
        users[name].save()
    repo = do_create_repository(name="team/project", kind="git", owner=users["alice"], private=True)
    do_set_permission(repo, users["carol"], "read")
    mail = Mailbox(smtp)
    base = live_server.url
    push_url = f"http://alice:{quote('alice-pw')}@{base.split('//', 1)[1]}/team/project"

    # alice pushes two commits on master with the real git client
    work = tmp_path / "work"
    git("init", "-q", "-b", "master", str(work))
    commit(git, work, "src/app.py", APP, "Initial import")
    tip = commit(git, work, "src/app.py", APP.replace("return 1", "return 42"), "Answer the question")
    git("push", "-q", push_url, "master", cwd=work)

    # carol comments inline on the changed line and approves
    carol = log_in(browser, base, "carol", "carol-pw")
    carol.goto(f"{base}/team/project/changeset/{tip}")
    carol.locator('tr[data-path="src/app.py"][data-new="5"] td.ln').nth(1).click()
    form = carol.locator("#comment-form")
    expect(carol.locator("tr.inline-holder #comment-form")).to_be_visible()
    form.get_by_label("Comment").fill("Why **42**? cc @dave <script>alert(1)</script>")
    form.get_by_label("Status").select_option("approved")
    form.get_by_role("button", name="Comment").click()
    inline = carol.locator("tr.inline-holder .inline-comment")
    expect(inline).to_contain_text("Why 42? cc @dave <script>alert(1)</script>")
    expect(inline.locator("strong", has_text="42")).to_be_visible()
    expect(carol.locator("#changeset-status")).to_have_text("Approved")
    shoot(carol, "review-changeset-1280.png")
    short = tip[:12]
    assert mail.new() == [
        (
            "alice@example.com",
            f'[Lindos] [Approved: Comment] team/project changeset {short} "Answer the question" '
            f"on master by alice",
            "cs_comment",
        )
    ]
    # the @mention links to dave's profile, which carol (not an admin) may open
    inline.locator("a.mention", has_text="@dave").click()
    expect(carol.locator("h1")).to_have_text("Dave Outsider")
    shoot(carol, "profile-1280.png")

    # alice pushes a branch and opens a pull request with carol as reviewer
    git("checkout", "-q", "-b", "feature", cwd=work)
    commit(git, work, "feature.txt", "one\n", "Start the feature")
    git("push", "-q", push_url, "feature", cwd=work)
    alice = log_in(browser, base, "alice", "alice-pw")
    alice.goto(f"{base}/team/project/pull-request")
    alice.get_by_role("link", name="New pull request").click()
    alice.get_by_label("From branch, bookmark or tag").select_option("branch:feature")
    alice.get_by_label("Into branch, bookmark or tag").select_option("branch:master")
    expect(alice.locator("#pr-preview .preview-head")).to_have_text(
        "1 changeset from team/project into master"
    )
    alice.get_by_label("Title").fill("Add the feature")
    alice.get_by_label("Description").fill("Please look, @carol.")
    alice.get_by_label("Reviewers").fill("carol")
    alice.get_by_role("button", name="Create pull request").click()
    expect(alice.locator("#pr-status")).to_have_text("Not reviewed")
    pr_url = alice.url
    number = pr_url.split("/pull-request/", 1)[1].split("/", 1)[0]
    review = f'team/project PR #{number} "Add the feature" from feature by alice'
    assert mail.new() == [
        ("alice@example.com", f"[Lindos] [Review] {review}", "pull_request"),
        ("carol@example.com", f"[Lindos] [Review] {review}", "pull_request"),
    ]

    # carol finds it awaiting her review, and rejects it
    carol.goto(base + "/my_pullrequests")
    carol.locator("#awaiting + table").get_by_role("link", name="Add the feature").click()
    form = carol.locator("#comment-form")
    form.get_by_label("Comment").fill("Needs a test.")
    form.get_by_label("Status").select_option("rejected")
    form.get_by_role("button", name="Comment").click()
    expect(carol.locator("#pr-status")).to_have_text("Not approved")
    assert mail.new() == [
        ("alice@example.com", f"[Lindos] [Not approved: Comment] {review}", "pull_request_comment")
    ]

    # alice pushes again: a second iteration, the first still visible
    commit(git, work, "test_feature.py", "assert True\n", "Test the feature")
    git("push", "-q", push_url, "feature", cwd=work)
    alice.goto(pr_url)
    expect(alice.get_by_role("heading", name="Iteration 2: 2 changesets")).to_be_visible()
    alice.get_by_role("link", name="Iteration 1").click()
    expect(alice.get_by_role("heading", name="Iteration 1 (not the latest): 1 changeset")).to_be_visible()
    assert mail.new() == []

    # carol approves; alice closes it with a comment
    carol.goto(pr_url)
    form = carol.locator("#comment-form")
    form.get_by_label("Comment").fill("Thanks, good now.")
    form.get_by_label("Status").select_option("approved")
    form.get_by_role("button", name="Comment").click()
    expect(carol.locator("#pr-status")).to_have_text("Approved")
    shoot(carol, "review-pull-request-1280.png")
    assert mail.new() == [
        ("alice@example.com", f"[Lindos] [Approved: Comment] {review}", "pull_request_comment")
    ]

    alice.goto(pr_url)
    form = alice.locator("#comment-form")
    form.get_by_label("Comment").fill("Merged, thank you.")
    form.get_by_label("Close the pull request").check()
    form.get_by_role("button", name="Comment").click()
    expect(alice.locator("#pr-state")).to_have_text("closed")
    assert mail.new() == [
        ("carol@example.com", f"[Lindos] [Closing: Comment] {review}", "pull_request_comment")
    ]

    # dave was mentioned but cannot read the repository: nothing reached him
    assert "dave@example.com" not in smtp.recipients
    for message in smtp.messages:
        html = message.message.get_body(("html",)).get_content()
        assert "<script>alert" not in html
