"""Rendered file views and annotations kept in memory (repos/browse/memo.py):
the same HTML as a fresh render, file content still escaped, and never a
result that may change later."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from lindos.repos.browse import highlight, memo
from lindos.vcs.testing import make_git_repo

from .conftest import register

# A NUL within git's first 8000 bytes would make the file binary; this one
# comes after them, in a line that also tries to close the table cell.
HOSTILE = b"x = 1\n" * 1400 + b"</td><script>alert(1)</script>\x00<b>&amp;\n" + b"y = 2\n"


@pytest.fixture
def hostile_repo(tmp_path, settings, make_user, client):
    make_git_repo(
        tmp_path / "evil", [{"message": "Hostile", "files": {"evil.py": HOSTILE, "notes.txt": b"n\n"}}]
    )
    register(settings, str(tmp_path), "evil", "git", make_user("owner"))
    return "/evil"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("view", ["files", "annotate"])
def test_file_content_is_escaped_first_and_when_kept(client, hostile_repo, view):
    url = f"{hostile_repo}/{view}/tip/evil.py"
    first = _page(client, url)
    assert len(memo.rendered) == 1
    kept = _page(client, url)
    assert kept == first
    for page in (first, kept):
        assert "<script>alert" not in page and "</td><script>" not in page
        row = page.split('<tr id="L1401">')[1].split("</tr>")[0]
        # The line stays inside its cell: tags other than the highlighter's
        # spans are the row's own, and the cell's text is the escaped line.
        cell = row.split('<td class="line">')[1]
        assert cell.endswith("</td>") and "<td" not in cell
        assert re.sub(r'<span class="\w+">|</span>', "", cell[: -len("</td>")]) == escape(
            HOSTILE.split(b"\n")[1400].decode()
        )
        assert "\x00" in cell  # kept as text (browsers show it as U+FFFD)
        assert page.count('<tr id="L') == 1402


def test_kept_rows_are_what_a_fresh_render_gives(client, hostile_repo):
    url = f"{hostile_repo}/files/tip/evil.py"
    fresh = _page(client, url)
    memo.rendered.clear()
    from django.core.cache import cache

    cache.clear()
    assert _page(client, url) == fresh


def test_a_file_shown_without_colours_is_not_kept(client, hostile_repo, monkeypatch):
    """Over the on-demand limit a file is shown plain until the background
    worker colours it; keeping the plain answer would hide the colours."""
    monkeypatch.setattr(highlight, "ON_DEMAND_LIMIT", 100)
    page = _page(client, f"{hostile_repo}/files/tip/evil.py")
    assert "shown without highlighting" in page
    assert len(memo.rendered) == 0
    monkeypatch.setattr(highlight, "ON_DEMAND_LIMIT", 10**6)
    page = _page(client, f"{hostile_repo}/files/tip/evil.py")
    assert "shown without highlighting" not in page
    assert len(memo.rendered) == 1


def test_memo_drops_least_recently_used_beyond_its_size():
    kept = memo.Memo(max_chars=10, max_entry=6)
    kept.put(("a",), "A", 4)
    kept.put(("b",), "B", 4)
    assert kept.get(("a",)) == "A"  # now the most recently used
    kept.put(("c",), "C", 4)
    assert kept.get(("b",)) is None and kept.get(("a",)) == "A" and kept.get(("c",)) == "C"
    kept.put(("huge",), "H", 7)  # over max_entry: not kept at all
    assert kept.get(("huge",)) is None and len(kept) == 2
    kept.put(("a",), "A2", 2)
    assert kept.get(("a",)) == "A2" and len(kept) == 2
