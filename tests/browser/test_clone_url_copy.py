"""The copy buttons of the clone URLs, in Chromium: each puts its URL on the
clipboard, with the script from a static file (no inline handlers)."""

import dataclasses

import pytest

from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_http_and_ssh_clone_urls(live_server, browser, settings, tmp_path):
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user
    from lindos.repos.actions import do_create_repository

    root = tmp_path / "repos"
    root.mkdir()
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS,
        base_path=str(root),
        ssh_enabled=True,
        canonical_url=live_server.url,
        clone_ssh_tmpl="ssh://git@{hostname}/{repo}",
    )
    alice = do_create_user(username="alice", email="alice@example.com", password="secret-pw")
    do_create_repository(name="project", kind="git", owner=alice, private=False)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/_admin/login")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("secret-pw")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/project/summary")
    host = live_server.url.split("//")[1].split(":")[0]
    for button, expected in (
        (page.get_by_title("Copy the HTTP clone URL"), f"{live_server.url}/project"),
        (page.get_by_title("Copy the SSH clone URL"), f"ssh://git@{host}/project"),
    ):
        expect(button).to_be_visible()
        button.click()
        expect(button).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == expected
    shoot(page, "clone-urls.png")
    assert errors == []
    context.close()
