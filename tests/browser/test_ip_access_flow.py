"""IP restrictions in a real browser: an admin restricts ulla to 10.0.0.0/8
(a typo is a form error), ulla's right password is refused from 127.0.0.1
and her open session gets the 403 page; once 127.0.0.0/8 is added she gets
in, and the default list shows on her page as inherited."""

import pytest

from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, url, username, password):
    page.goto(url + "/_admin/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_ip_restriction_flow(live_server, browser):
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user

    do_create_user(username="ada", email="ada@example.com", password="ada-secret", is_admin=True)
    ulla = do_create_user(username="ulla", email="ulla@example.com", password="ulla-secret")
    url = live_server.url

    admin = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    admin.set_default_timeout(15000)
    log_in(admin, url, "ada", "ada-secret")
    admin.goto(f"{url}/_admin/users/{ulla.pk}/edit")
    admin.get_by_role("link", name="IP addresses").click()
    expect(admin.locator("#allowed-networks")).to_contain_text("All IP addresses are allowed.")
    admin.get_by_label("New IP address").fill("10.0.0.300")
    admin.get_by_role("button", name="Add").click()
    expect(admin.locator(".errorlist")).to_contain_text("valid IPv4 or IPv6")
    admin.get_by_label("New IP address").fill("10.0.0.0/8")
    admin.get_by_role("button", name="Add").click()
    expect(admin.locator(".flash")).to_contain_text("Added IP address 10.0.0.0/8")
    expect(admin.locator("#allowed-networks")).to_contain_text("10.0.0.0 – 10.255.255.255")

    user = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    user.set_default_timeout(15000)
    log_in(user, url, "ulla", "ulla-secret")
    expect(user.locator(".errorlist")).to_contain_text(
        "This account may not sign in from your address (127.0.0.1)."
    )

    admin.get_by_label("New IP address").fill("127.0.0.0/8")
    admin.get_by_role("button", name="Add").click()
    log_in(user, url, "ulla", "ulla-secret")
    expect(user.locator("body")).not_to_contain_text("may not sign in")

    # Her session is checked on every request: removing the entry shuts it.
    admin.locator("tr.own", has_text="127.0.0.0/8").get_by_role("button", name="Delete").click()
    expect(admin.locator(".flash")).to_contain_text("Removed IP address 127.0.0.0/8")
    response = user.goto(url + "/")
    assert response.status == 403
    expect(user.locator("h1")).to_have_text("Access not allowed from this address")
    shoot(user, "ipaccess-refused.png")

    # The default list shows on every user's page as inherited.
    admin.goto(url + "/_admin/permissions/ips")
    admin.get_by_label("New IP address").fill("127.0.0.1")
    admin.get_by_role("button", name="Add").click()
    admin.goto(f"{url}/_admin/users/{ulla.pk}/edit/ips")
    expect(admin.locator("tr.inherited")).to_contain_text("127.0.0.1/32")
    shoot(admin, "ipaccess-user-ips.png")
    assert user.goto(url + "/").status == 200
