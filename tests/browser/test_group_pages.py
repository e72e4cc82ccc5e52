"""Groups in a real browser: an admin makes a user group and nested
repository groups, creates a repository inside, gives the user group write
on the outer group applied to everything in it; the member then finds the
hidden subgroup and its repository through the group pages, and the
admin's "permissions of USER" page says where the access comes from."""

import dataclasses

import pytest

from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, url, username, password):
    page.goto(url + "/_admin/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_groups_flow(live_server, browser, settings, tmp_path):
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user

    root = tmp_path / "repos"
    root.mkdir()
    settings.LINDOS = dataclasses.replace(settings.LINDOS, base_path=str(root), canonical_url=live_server.url)
    do_create_user(username="ada", email="ada@example.com", password="ada-secret", is_admin=True)
    ulla = do_create_user(username="ulla", email="ulla@example.com", password="ulla-secret")

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = live_server.url
    log_in(page, url, "ada", "ada-secret")

    # a user group with ulla in it
    page.get_by_role("link", name="User groups", exact=True).click()
    page.get_by_role("link", name="Add user group").click()
    page.get_by_label("Name").fill("devs")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="User group devs")).to_be_visible()
    page.get_by_label("Add a member").fill("ulla")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#members")).to_contain_text("ulla")

    # team, and team/core closed to everyone
    page.get_by_role("link", name="Groups", exact=True).click()
    page.get_by_role("link", name="Add repository group").click()
    page.get_by_label("Group name").fill("team")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", name="team")).to_be_visible()
    page.get_by_role("link", name="New subgroup").click()
    expect(page.get_by_label("Group name")).to_have_value("team/")
    page.get_by_label("Group name").fill("team/core")
    page.get_by_role("button", name="Create group").click()
    page.locator("main").get_by_role("link", name="Permissions", exact=True).click()
    page.get_by_label("Everyone (anonymous and logged-in)").select_option("none")
    page.locator("form:has(input[value=default]) button").click()
    page.goto(url + "/team/core")
    page.get_by_role("link", name="New repository").click()
    page.get_by_label("Name").fill("team/core/app")
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(url + "/team/core/app")

    # devs get write on team and everything in it
    page.goto(url + "/_admin/repo_groups/team/permissions")
    grant = page.locator("form:has(input[value=grant])")
    grant.get_by_label("or user group").fill("devs")
    grant.get_by_label("Permission").select_option("write")
    grant.get_by_label("Apply to").select_option("all")
    grant.get_by_role("button", name="Save").click()
    expect(page.locator("table.grants")).to_contain_text("devs")
    page.goto(url + f"/_admin/users/{ulla.pk}/permissions")
    row = page.locator("#repository-permissions tr", has_text="team/core/app")
    expect(row).to_contain_text("write")
    expect(row).to_contain_text("user group devs")
    shoot(page, "groups-permissions-of-user.png")

    # ulla finds the subgroup and the repository through the group pages
    page.get_by_role("button", name="Log out").click()
    log_in(page, url, "ulla", "ulla-secret")
    page.goto(url + "/")
    page.locator("#home-groups").get_by_role("link", name="team/").click()
    page.get_by_role("link", name="core/").click()
    expect(page.locator("h1")).to_have_text("team/core")
    page.get_by_role("link", name="app").click()
    expect(page).to_have_url(url + "/team/core/app")
    shoot(page, "groups-member-view.png")

    assert errors == []

    # a stranger sees neither
    page.get_by_role("button", name="Log out").click()
    assert page.goto(url + "/team/core").status == 404
    assert page.goto(url + "/team/core/app").status == 404
    context.close()
