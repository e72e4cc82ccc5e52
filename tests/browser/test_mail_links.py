"""A person follows the links in the mails they received (a real SMTP
server) to the pages they name, in a real browser, with canonical_url unset
(links on the address the action came in on) and set (links on it, here
another spelling of the live server's address).  Every page is served under
the Content-Security-Policy, and the browser reports no violation of it:
the site's script (lindos.js) still selects the clone URL and switches
branches."""

import dataclasses
import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["unset", "set"])
def site(request, live_server, settings, monkeypatch, tmp_path):
    """(base the browser uses, base mail links must use, SMTP server)."""
    from tests.smtpd import SMTPTestServer, use_smtp_server

    server = SMTPTestServer("plain").start()
    use_smtp_server(settings, monkeypatch, server)
    browser_base = live_server.url  # http://localhost:PORT
    canonical = "" if request.param == "unset" else browser_base.replace("localhost", "127.0.0.1")
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS, canonical_url=canonical, base_path=str(tmp_path / "repos")
    )
    yield browser_base, canonical or browser_base, server
    server.stop()


class Person:
    def __init__(self, browser, base):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.base = base
        self.csp_violations = []
        self.page.on(
            "console",
            lambda msg: (
                self.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )

    def log_in(self, username, password):
        self.page.goto(self.base + "/_admin/login")
        return self.fill_login(username, password)

    def fill_login(self, username, password):
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.locator("header .who").wait_for()
        return self

    def follow(self, url, username, password):
        """Open a link from a mail, logging in first if the site asks
        (a link on another address than the one logged in on)."""
        self.page.goto(url)
        if urlsplit(self.page.url).path == "/_admin/login":
            self.fill_login(username, password)
        assert self.page.url == url, (self.page.url, url)


def received(server, to: str) -> str:
    """The text body of the one mail `to` got since the last call."""
    from lindos.notifications.delivery import deliver_due

    deliver_due()
    mails = [m for m in server.messages if to in m.rcpt_tos]
    server.messages[:] = [m for m in server.messages if to not in m.rcpt_tos]
    assert len(mails) == 1, [m.rcpt_tos for m in server.messages]
    return mails[0].message.get_body(("plain",)).get_content()


def link_in(text: str, path_pattern: str) -> str:
    links = [u.rstrip(".,") for u in re.findall(r"https?://\S+", text)]
    matching = [u for u in links if re.search(path_pattern, urlsplit(u).path + "#" + urlsplit(u).fragment)]
    assert matching, links
    return matching[0]


def test_follow_links_from_received_mails(browser, site):
    from playwright.sync_api import expect

    from lindos.accounts.models import User
    from lindos.appsettings.current import save_app_settings
    from lindos.repos.models import Repository
    from lindos.vcs.testing import make_git_repo

    browser_base, link_base, smtp = site
    User.objects.create_user("admin", "admin@example.com", "admin-pw", is_superuser=True, is_staff=True)
    alice = User.objects.create_user("alice", "alice@example.com", "alice-pw", first_name="Alice")
    from django.conf import settings

    ids = make_git_repo(
        f"{settings.LINDOS.base_path}/project",
        [
            {"message": "Initial import", "author": "Alice <alice@example.com>", "files": {"a.txt": "a\n"}},
            {
                "message": "Second",
                "author": "Alice <alice@example.com>",
                "branch": "topic",
                "files": {"b.txt": "b\n"},
            },
        ],
    )
    Repository.objects.create(name="project", kind="git", owner=alice)
    save_app_settings(registration="manual")

    # 1. A stranger registers and follows the link mailed to their address;
    #    the admin's mail then links to the new account.
    stranger = Person(browser, browser_base)
    page = stranger.page
    page.goto(browser_base + "/_admin/register")
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Email").fill("newbie@example.com")
    page.get_by_label("Password", exact=True).fill("newbie-pw-1")
    page.get_by_label("Password confirmation").fill("newbie-pw-1")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    url = link_in(received(smtp, "newbie@example.com"), r"^/_admin/register/confirm/")
    assert url.startswith(link_base + "/")
    page.goto(url)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("An administrator must activate it")).to_be_visible()
    url = link_in(received(smtp, "admin@example.com"), r"^/_admin/users/\d+/edit")
    assert url.startswith(link_base + "/")
    admin = Person(browser, browser_base).log_in("admin", "admin-pw")
    admin.follow(url, "admin", "admin-pw")
    expect(admin.page.get_by_role("heading", name="Edit newbie")).to_be_visible()

    # 2. The admin comments on alice's changeset; alice follows the link.
    admin.page.goto(f"{link_base}/project/changeset/{ids[0]}")
    admin.page.locator("#comment-form textarea").fill("Looks good to me")
    admin.page.locator("#comment-form button[type=submit]").click()
    expect(admin.page.get_by_text("Looks good to me")).to_be_visible()
    url = link_in(received(smtp, "alice@example.com"), rf"^/project/changeset/{ids[0]}#comment-\d+$")
    assert url.startswith(link_base + "/")
    reader = Person(browser, browser_base).log_in("alice", "alice-pw")
    reader.follow(url, "alice", "alice-pw")
    anchor = urlsplit(url).fragment
    expect(reader.page.locator(f"#{anchor}")).to_contain_text("Looks good to me")
    shoot(reader.page, f"mail-link-comment-{'set' if link_base != browser_base else 'unset'}.png")

    # 3. alice forgot her password: the link from the mail sets a new one.
    forgetful = Person(browser, browser_base)
    forgetful.page.goto(browser_base + "/_admin/password_reset")
    forgetful.page.get_by_label("Email address").fill("alice@example.com")
    forgetful.page.get_by_role("button", name="Send reset link").click()
    url = link_in(received(smtp, "alice@example.com"), r"^/_admin/password_reset_confirmation/")
    assert url.startswith(link_base + "/")
    forgetful.page.goto(url)
    expect(forgetful.page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    forgetful.page.get_by_label("New password", exact=True).fill("alice-new-pw")
    forgetful.page.get_by_label("New password confirmation").fill("alice-new-pw")
    forgetful.page.get_by_role("button", name="Set password").click()
    expect(forgetful.page.get_by_text("Your password has been changed")).to_be_visible()

    # The site's own script works under the policy: the clone URL selects
    # itself on a click, the branch filter switches on a change.
    page = reader.page
    page.goto(f"{link_base}/project/files/tip/")
    page.locator("#clone-url").click()
    assert page.evaluate(
        "() => { const i = document.getElementById('clone-url');"
        " return i.selectionEnd - i.selectionStart === i.value.length && i.value.length > 0; }"
    )
    page.locator("#branch-filter").select_option("topic")
    page.wait_for_url(re.compile(r"/project/files/topic/"))
    expect(page.get_by_role("link", name="b.txt")).to_be_visible()

    for person in (stranger, admin, reader, forgetful):
        assert person.csp_violations == []
        person.context.close()
