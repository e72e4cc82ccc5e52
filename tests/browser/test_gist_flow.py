"""Making a gist and reading it, in a real browser.

alice opens Gists from the menu, writes a description that looks like
markup, names a Python file, adds a second file with "Add another file"
(her text stays), and creates a private gist. Its page shows both files,
the Python one highlighted, the description as text; no script runs and
the Content-Security-Policy is never violated. The raw link gives the
file's bytes. The gist is not in the public list, and its link still works
for someone else.
"""

import pytest

from tests.browser.conftest import shoot
from tests.browser.test_review_flow import log_in
from tests.repos.fixtures import repo_root  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "def greet(name):\n    return f'hello {name}'\n"


def test_create_and_view_a_gist(live_server, browser, repo_root):  # noqa: F811
    from playwright.sync_api import expect

    from lindos.accounts.registration import do_create_user
    from lindos.gists.models import Gist

    for name in ("alice", "bob"):
        do_create_user(username=name, email=f"{name}@example.com", password=f"{name}-pw")
    base = live_server.url
    alice = log_in(browser, base, "alice", "alice-pw")
    problems = []
    alice.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    alice.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))

    alice.get_by_role("link", name="Gists").click()
    alice.get_by_role("link", name="Create New Gist").click()
    alice.get_by_label("Description").fill("<script>alert('description')</script> greetings")
    alice.get_by_label("Gist lifetime").select_option("60")
    alice.locator("#filename-1").fill("greet.py")
    alice.locator("#content-1").fill(CODE)
    alice.get_by_role("button", name="Add another file").click()
    expect(alice.locator("#filename-1")).to_have_value("greet.py")
    expect(alice.locator("#content-1")).to_have_value(CODE)
    alice.locator("#filename-2").fill("notes.md")
    alice.locator("#content-2").fill("<img src=x onerror=alert('content')>\n")
    alice.get_by_role("button", name="Create Private Gist").click()

    gist = Gist.objects.get()
    expect(alice).to_have_url(f"{base}/_admin/gists/{gist.access_id}")
    expect(alice.locator(".gist-description")).to_have_text("<script>alert('description')</script> greetings")
    expect(alice.locator(".badge", has_text="Private Gist")).to_be_visible()
    expect(alice.locator(".gist-file b", has_text="greet.py")).to_be_visible()
    expect(alice.locator(".gist-file b", has_text="notes.md")).to_be_visible()
    expect(alice.locator("#f1 .highlight .k", has_text="def")).to_be_visible()  # Python, highlighted
    expect(alice.locator("#f2 .line").first).to_have_text("<img src=x onerror=alert('content')>")
    shoot(alice, "gist-show.png")

    raw = alice.request.get(f"{base}/_admin/gists/{gist.access_id}/tip/raw/greet.py")
    assert raw.status == 200 and raw.text() == CODE

    # not listed for others; the link works for them
    bob = log_in(browser, base, "bob", "bob-pw")
    bob.goto(f"{base}/_admin/gists")
    expect(bob.get_by_text("There are no gists yet.")).to_be_visible()
    bob.goto(f"{base}/_admin/gists/{gist.access_id}")
    expect(bob.locator(".gist-file b", has_text="greet.py")).to_be_visible()
    expect(bob.get_by_role("button", name="Delete")).to_have_count(0)
    assert problems == []
