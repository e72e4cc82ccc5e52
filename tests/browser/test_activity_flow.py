"""The activity pages in Chromium: the statistics charts draw (Chart.js
from a static file, data from the page's JSON block, nothing blocked by
the Content-Security-Policy, no request leaves the site), and the follow
button follows and unfollows in place."""

import dataclasses

import pytest

from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def setup_site(settings, tmp_path, live_server):
    from lindos.accounts.registration import do_create_user
    from lindos.repos.models import Repository
    from lindos.vcs.testing import make_git_repo

    root = tmp_path / "repos"
    root.mkdir()
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS, base_path=str(root), cache_dir=str(tmp_path / "cache"), canonical_url=live_server.url
    )
    alice = do_create_user(username="alice", email="alice@example.com", password="secret-pw")
    do_create_user(username="bob", email="bob@example.com", password="secret-pw")
    authors = ["Zoë <zoe@example.com>", "Bob <bob@example.com>", "Ann <ann@example.com>"]
    commits = [
        {"author": authors[i % 3], "date": 1_700_000_000 + i * 86400 * 3, "files": {"f.txt": f"{i}\n"}}
        for i in range(40)
    ]
    make_git_repo(root / "project", commits)
    return Repository.objects.create(name="project", kind="git", owner=alice)


def watch(page, live_server):
    """Console errors and requests to anywhere but the site itself."""
    seen = {"errors": [], "foreign": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else seen["foreign"].append(r.url),
    )
    return seen


def log_in(page, live_server, username):
    page.goto(live_server.url + "/_admin/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("secret-pw")
    page.get_by_role("button", name="Log in").click()


def test_statistics_charts_draw(live_server, browser, settings, tmp_path):
    from playwright.sync_api import expect

    from lindos.activity.statistics import do_update_statistics

    repo = setup_site(settings, tmp_path, live_server)
    do_update_statistics(repo.pk)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    seen = watch(page, live_server)
    page.goto(live_server.url + "/project/statistics")
    expect(page.locator("#chart-activity")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#chart-authors")).to_have_attribute("data-drawn", "true")
    # Chart.js knows both charts and drew the data the page carries.
    counts = page.evaluate(
        """() => [document.getElementById('chart-activity'), document.getElementById('chart-authors')]
              .map(c => window.Chart.getChart(c).data.datasets
                   .reduce((n, d) => n + d.data.reduce((a, b) => a + b, 0), 0))"""
    )
    assert counts == [40, 40]
    legend = page.evaluate(
        "window.Chart.getChart(document.getElementById('chart-activity')).data.datasets.map(d => d.label)"
    )
    assert sorted(legend) == ["Ann", "Bob", "Zoë"]
    # Something was painted: the canvas is not blank.
    painted = page.evaluate(
        """() => { const c = document.getElementById('chart-activity');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }"""
    )
    assert painted > 1000
    shoot(page, "statistics.png")
    assert seen["errors"] == [] and seen["foreign"] == []
    page.close()


def test_follow_and_unfollow_in_place(live_server, browser, settings, tmp_path):
    from playwright.sync_api import expect

    from lindos.activity.models import UserFollowing

    repo = setup_site(settings, tmp_path, live_server)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    seen = watch(page, live_server)
    log_in(page, live_server, "bob")
    page.goto(live_server.url + "/project/summary")
    button = page.locator("form[data-follow] button")
    count = page.locator("[data-follower-count]")
    expect(button).to_have_text("Follow")
    expect(count).to_have_text("1")  # the owner
    url = page.url
    button.click()
    expect(button).to_have_text("Unfollow")
    expect(count).to_have_text("2")
    assert page.url == url  # no page load: the script toggled in place
    assert UserFollowing.objects.filter(user__username="bob", follows_repository=repo).exists()
    page.reload()
    expect(page.locator("form[data-follow] button")).to_have_text("Unfollow")
    page.locator("form[data-follow] button").click()
    expect(page.locator("form[data-follow] button")).to_have_text("Follow")
    expect(page.locator("[data-follower-count]")).to_have_text("1")
    assert not UserFollowing.objects.filter(user__username="bob", follows_repository=repo).exists()
    # The journal lists what bob follows.
    page.locator("form[data-follow] button").click()
    expect(page.locator("form[data-follow] button")).to_have_text("Unfollow")
    page.goto(live_server.url + "/_admin/journal")
    expect(page.locator("aside")).to_contain_text("project")
    shoot(page, "journal.png")
    assert seen["errors"] == [] and seen["foreign"] == []
    page.close()
