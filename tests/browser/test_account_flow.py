"""A person in a real browser: register, log in, change their name on My
account, see it in the header, log out.  Chromium (Debian's) headless,
driven by Playwright, against a live server."""

import os

import pytest

from lindos.appsettings.current import save_app_settings
from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def confirm_path():
    """The link of the registration mail, as the outbox would send it."""
    from urllib.parse import urlsplit

    from lindos.notifications.events import event_from_json
    from lindos.notifications.models import PendingNotification

    row = PendingNotification.objects.filter(event_type="AddressConfirmationRequested").latest("id")
    return urlsplit(event_from_json(row.event).confirm_url).path


def header_name(page):
    return page.locator("header .who").inner_text()


def test_register_log_in_change_name_log_out(live_server, page):
    from playwright.sync_api import expect

    save_app_settings(registration="automatic", title="Acme Code")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Password", exact=True).fill("cobol-forever")
    page.get_by_label("Password confirmation").fill("cobol-forever")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    # Follow the link of the mail; automatic activation then logs the new
    # user in.  Log out and in again.
    page.goto(live_server.url + confirm_path())
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("header .who")).to_have_text("Grace Hopper")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator("header .who")).to_have_count(0)

    page.get_by_role("banner").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("cobol-forever")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header .who")).to_have_text("Grace Hopper")

    page.locator("header .who").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    shoot(page, "my-account-1280.png")
    page.get_by_label("First name").fill("Amazing Grace")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your account has been updated.")).to_be_visible()
    expect(page.locator("header .who")).to_have_text("Amazing Grace Hopper")
    assert page.title() == "My account · Acme Code"

    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "my-account-390.png")

    page.get_by_role("button", name="Log out").click()
    expect(page.locator("header .who")).to_have_count(0)
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
