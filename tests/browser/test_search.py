"""Searching in a real browser: from the top bar to a marked snippet, to
the file it names; a repository's Search tab; a private repository's
content never shows for someone else."""

import dataclasses

import pytest

from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def indexed(settings, tmp_path):
    from lindos.accounts.registration import do_create_user
    from lindos.repos.models import Repository
    from lindos.search.indexer import do_index_repository
    from lindos.vcs.testing import make_git_repo

    root = tmp_path / "repos"
    settings.LINDOS = dataclasses.replace(settings.LINDOS, base_path=str(root))
    owner = do_create_user(username="alice", email="alice@example.com", password="secret-pw")
    files = {f"src/mod{i:02d}.py": f"def handler_{i}():\n    return 'platypus {i}'\n" for i in range(12)}
    files["README.md"] = "A platypus <em>project</em>\n"
    ids = make_git_repo(root / "zoo", [{"files": files, "message": "Import the platypus code"}])
    make_git_repo(root / "vault", [{"files": {"hidden.txt": "platypus secret\n"}, "message": "Hide it"}])
    zoo = Repository.objects.create(name="zoo", kind="git", owner=owner)
    vault = Repository.objects.create(
        name="vault", kind="git", owner=owner, private=True, default_permission="none"
    )
    for row in (zoo, vault):
        do_index_repository(row.pk)
    zoo.ids = ids
    return zoo


def test_search_from_the_top_bar_to_the_file(live_server, page, indexed):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search in all repositories")).to_be_visible()
    page.get_by_label("Search term").fill("platypus")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-status")).to_contain_text("13 results")
    results = page.locator(".search-result")
    expect(results).to_have_count(10)
    expect(results.first).to_contain_text("README.md")
    expect(results.first.locator("mark")).to_have_text("platypus")
    expect(page.locator("#search-results")).not_to_contain_text("vault")
    expect(page.locator("#search-results em")).to_have_count(0)  # the file's markup is shown as text
    shoot(page, "search-content.png")

    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".search-result")).to_have_count(3)
    expect(page.get_by_label("Search term")).to_have_value("platypus")

    page.get_by_label("Search in").select_option("commit")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-status")).to_contain_text("1 result")
    expect(page.locator(".search-result")).to_contain_text("Import the platypus code")

    page.get_by_label("Search in").select_option("path")
    page.get_by_label("Search term").fill("mod07")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="src/mod07.py").click()
    expect(page.locator("body")).to_contain_text("platypus 7")
    assert f"/zoo/files/{indexed.ids[0]}/src/mod07.py" in page.url


def test_repository_search_tab_and_odd_input(live_server, page, indexed):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/zoo/summary")
    page.get_by_role("navigation", name="Repository").get_by_role("link", name="Search").click()
    page.get_by_label("Search term").fill('"handler_1 ((( OR')
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-status")).to_contain_text("0 results")
    page.get_by_label("Search term").fill("handler_1")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-status")).to_contain_text("3 results")  # 1, 10, 11
    assert "/zoo/search?q=handler_1" in page.url
    shoot(page, "search-repository.png")
    response = page.goto(live_server.url + "/vault/search?q=platypus")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("platypus secret")
    page.console_errors.clear()  # the browser's own line about that 404
    page.goto(live_server.url + "/_admin/search?q=" + "x" * 10000)
    expect(page.locator("#search-status")).to_have_text(
        "The search text is too long: at most 500 characters."
    )
