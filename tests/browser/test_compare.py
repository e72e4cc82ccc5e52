"""The compare form in a real browser: a visitor chooses two branches of a
public repository and compares them, swaps the sides, then types a short
hash and presses Enter, and last types a name that is not there. The
page's strict CSP must not complain on the way."""

import pytest

from tests.browser.conftest import shoot
from tests.repos.fixtures import make_user, repo_root  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HISTORY = [
    {"message": "Initial import", "files": {"README": b"hi\n"}},
    {"message": "Feature work", "branch": "feature", "files": {"f.txt": b"f\n"}},
    {"message": "Main moves on", "files": {"README": b"hello\n"}},
]


def test_choose_two_branches_and_compare(live_server, browser, repo_root, make_user):  # noqa: F811
    from playwright.sync_api import expect

    from lindos.repos.models import Repository
    from lindos.vcs.testing import make_git_repo

    ids = make_git_repo(repo_root / "demo", HISTORY)
    Repository.objects.create(name="demo", kind="git", owner=make_user("olga"))
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/demo/compare")
    page.locator("#compare_org").select_option("branch:master")
    page.locator("#compare_other").select_option("branch:feature")
    page.get_by_role("button", name="Compare Revisions").click()
    expect(page.locator(".compare-head")).to_have_text("1 changeset in demo@feature not in demo@master")
    expect(page.locator("table.changes")).to_contain_text("Feature work")
    assert page.url == f"{live_server.url}/demo/compare/branch@master...branch@feature"
    shoot(page, "compare-form-1280.png")

    page.get_by_role("link", name="Swap").click()
    expect(page.locator(".compare-head")).to_have_text("1 changeset in demo@master not in demo@feature")
    expect(page.locator("#compare_org")).to_have_value("branch:feature")

    # a short hash typed into the box: Enter compares (not the Choose button)
    page.locator("#compare_other_rev").fill(ids[0][:7])
    page.locator("#compare_other_rev").press("Enter")
    expect(page.locator(".compare-head")).to_have_text(f"0 changesets in demo@{ids[0]} not in demo@feature")
    expect(page.locator("#compare_other")).to_have_value(f"rev:{ids[0]}")

    page.locator("#compare_org_rev").fill("<b>nope</b>")
    page.get_by_role("button", name="Compare Revisions").click()
    expect(page.locator(".compare-error")).to_have_text(
        "There is no branch, bookmark, tag or changeset '<b>nope</b>' in demo."
    )
    expect(page.locator("#compare_org_rev")).to_have_value("<b>nope</b>")
    assert violations == []
    page.context.close()
