"""A repository owner in a real browser: adds an API key with an expiry on
My account, adds a webhook on the repository's settings, and after a push
sees the delivery with its status code, time and a redeliver button."""

import dataclasses

import pytest

from tests.browser.conftest import shoot
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


def test_api_key_and_webhook_pages(live_server, page, settings, tmp_path, receiver):
    from playwright.sync_api import expect

    from lindos.accounts.models import UserApiKey
    from lindos.accounts.registration import do_create_user
    from lindos.background.tasks import deliver_webhooks
    from lindos.repos.actions import do_create_repository
    from lindos.repos.journal import RefChange, record_push

    (tmp_path / "repos").mkdir()
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS, base_path=str(tmp_path / "repos"), webhook_allow_private_addresses=True
    )
    alice = do_create_user(username="alice", email="alice@example.com", password="pw-alice-123")
    repo = do_create_repository(name="proj", kind="git", owner=alice)

    page.goto(live_server.url + "/_admin/login")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("pw-alice-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/_admin/my_account")
    page.get_by_role("link", name="More keys, with a description and an expiry").click()
    page.get_by_label("Description").fill("build farm <CI>")
    page.get_by_label("Lifetime").select_option(label="1 day")
    page.get_by_role("button", name="Add key").click()
    key = UserApiKey.objects.get(user=alice)
    expect(page.locator("tr.api-key")).to_contain_text("build farm <CI>")
    expect(page.locator("tr.api-key")).to_contain_text(key.api_key)
    shoot(page, "api-keys.png")

    page.goto(live_server.url + "/proj/settings")
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Receiver URL").fill(receiver.url)
    page.get_by_label("Secret").fill("browser-secret-123")
    page.get_by_label("Comment").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("tr.webhook")).to_contain_text("push, comment")
    expect(page.locator("tr.webhook")).to_contain_text("…-123")
    assert "browser-secret-123" not in page.content()

    record_push(repo, alice, [RefChange("refs/heads/main", "0" * 40, "a" * 40)])
    assert deliver_webhooks() == 1
    page.reload()
    row = page.locator("tr.delivery").first
    expect(row.locator("td.state")).to_have_text("delivered")
    expect(row.locator("td.status-code")).to_have_text("200")
    shoot(page, "webhooks.png")
    row.get_by_role("button", name="Redeliver").click()
    expect(page.locator("tr.delivery")).to_have_count(2)
    assert deliver_webhooks() == 1 and len(receiver.requests) == 2
