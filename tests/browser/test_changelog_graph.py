"""The changelog in Chromium: the revision graph draws (from a static
script, under the site's CSP) and the branch filter navigates, on git and
hg repositories with a merge."""

import dataclasses

import pytest

from lindos.vcs.testing import make_git_repo, make_hg_repo
from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HISTORY = [
    {"message": "root", "files": {"a.txt": b"a\n"}},
    {"message": "second", "files": {"a.txt": b"a\nb\n"}},
    {"message": "topic work", "branch": "topic", "files": {"t.txt": b"t\n"}},
    {"message": "main work", "files": {"m.txt": b"m\n"}},
    {"message": "merge topic", "merge": "topic", "files": {"m.txt": b"m\nmerged\n"}},
    {"message": "more topic", "branch": "topic", "files": {"t.txt": b"t\nmore\n"}},
]


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_graph_draws_and_branch_filter_navigates(live_server, browser, settings, tmp_path, kind):
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user
    from lindos.repos.models import Repository

    root = tmp_path / "repos"
    root.mkdir()
    ids = (make_git_repo if kind == "git" else make_hg_repo)(root / "project", HISTORY)
    settings.LINDOS = dataclasses.replace(settings.LINDOS, base_path=str(root))
    owner = do_create_user(username="alice", email="alice@example.com", password="secret-pw")
    Repository.objects.create(name="project", kind=kind, owner=owner)
    default = "master" if kind == "git" else "default"

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/project/changelog")

    rows = page.locator("tr.changelog-row")
    count = rows.count()
    assert count == len(HISTORY) + (0 if kind == "git" else 0)
    graph = page.locator("#changelog svg.graph")
    expect(graph).to_have_count(1)
    expect(graph.locator("circle")).to_have_count(count)
    # a dot sits on its row: the newest changeset's dot is within row 1
    dot = graph.locator("circle").first.bounding_box()
    first = rows.first.bounding_box()
    assert first["y"] <= dot["y"] + dot["height"] / 2 <= first["y"] + first["height"]
    # two lanes: some dots are in another column, and curves join them
    xs = {round(box["x"]) for box in (c.bounding_box() for c in graph.locator("circle").all())}
    assert len(xs) == 2
    assert graph.locator("path[d*=' C']").count() >= 2  # the fork and the merge
    shoot(page, f"changelog-graph-{kind}.png")

    # the filter shows "All branches"; choosing "topic" navigates
    select = page.locator("#branch-filter")
    expect(select).to_have_value("")
    select.select_option("topic")
    page.wait_for_url("**/project/changelog?branch=topic")
    expect(page.locator("tr.changelog-row", has_text="more topic")).to_have_count(1)
    expect(page.locator("tr.changelog-row", has_text="main work")).to_have_count(0)
    expect(page.locator("#branch-filter")).to_have_value("topic")

    # on a file page reached by "tip", the filter shows the branch tip is on
    page.goto(live_server.url + "/project/files/tip/a.txt")
    tip_branch = "topic" if kind == "hg" else default  # hg's tip is the newest changeset
    expect(page.locator("#branch-filter")).to_have_value(tip_branch)
    other = default if tip_branch == "topic" else "topic"
    page.locator("#branch-filter").select_option(other)
    page.wait_for_url(f"**/project/files/{other}/a.txt")
    expect(page.locator("#branch-filter")).to_have_value(other)

    # a changeset page: the message in the changelog links to it, and its
    # children load on demand ("second" has two: the fork)
    page.goto(live_server.url + "/project/changelog")
    page.locator("a.message-link", has_text="second").click()
    page.wait_for_url("**/project/changeset/*")
    page.get_by_role("link", name="Show children").click()
    expect(page.locator("a.child-link")).to_have_count(2)
    page.locator("a.child-link").first.click()
    assert page.url.endswith(f"/project/changeset/{ids[2]}")  # topic work, the older child
    assert errors == []
    page.close()
