"""``/REPO/changelog`` and ``/REPO/changelog/REV/PATH``."""

import json
import re

import pytest

from .conftest import NOTES


def visible(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def has_note(page: str, n: int) -> bool:
    return re.search(rf"Note {n}\b", page) is not None


def graph_data(response) -> list:
    match = re.search(
        r'<script id="changelog-graph-data" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert match, "no graph data on the page"
    return json.loads(match.group(1))


def test_every_branch_by_default_on_one_page(client, browse_repo):
    response = client.get(browse_repo.url("changelog"))
    page = visible(response)
    assert "Answer 42" in page and "Initial import" in page
    assert "Feature work" in page  # another branch's changeset shows too
    assert page.count("Note ") == NOTES
    assert "Older" not in page and "Newer" not in page
    html = response.content.decode()
    assert '<option value="" selected>All branches</option>' in html
    assert f'<a class="message-link" href="/group/project/changeset/{browse_repo.tip}">Answer 42</a>' in html
    assert 'href="/group/project/changelog?branch=feature">feature</a>' in html


def test_graph_data_has_one_entry_a_row_and_a_lane_for_the_branch(client, browse_repo):
    response = client.get(browse_repo.url("changelog"))
    graph = graph_data(response)
    assert len(graph) == response.content.decode().count('class="changelog-row"')
    assert {entry[0] for entry in graph} == {0, 1}  # default branch and feature
    assert '<script src="/_static/changelog_graph.js" defer></script>' in response.content.decode()


def test_first_page_of_twenty_has_an_older_link(client, browse_repo):
    response = client.get(browse_repo.url("changelog") + "?size=20")
    page = visible(response)
    assert "Answer 42" in page
    assert has_note(page, NOTES - 1)
    assert has_note(page, NOTES - 19)
    assert not has_note(page, NOTES - 20)
    assert page.count("Note ") == 19
    assert "Page 1" in page and "Older" in page and "Newer" not in page
    assert 'href="/group/project/changelog?size=20&amp;page=2"' in response.content.decode()
    assert len(graph_data(response)) == 20


def test_second_page_continues_to_the_first_commit(client, browse_repo):
    page = visible(client.get(browse_repo.url("changelog") + "?size=20&page=2"))
    assert has_note(page, NOTES - 20)
    assert "Initial import" in page
    assert "Café crème fix" in page  # Latin-1 message displayed
    assert "Feature work" in page
    assert "Newer" in page and "Older" not in page


@pytest.mark.parametrize("size, rows", [("x", 27), ("0", 1), ("-5", 1), ("3", 3), ("99999999", 27)])
def test_page_size(client, browse_repo, size, rows):
    response = client.get(browse_repo.url("changelog") + f"?size={size}")
    shown = response.content.decode().count('class="changelog-row"')
    assert shown == (rows if browse_repo.kind == "git" or rows < 27 else rows + 1)  # hg: its tag commit


def test_history_of_a_revision_has_the_graph(client, browse_repo):
    response = client.get(browse_repo.url("changelog/feature/"))
    page = visible(response)
    assert "Feature work" in page and "Initial import" in page and "Answer 42" not in page
    assert len(graph_data(response)) == response.content.decode().count('class="changelog-row"')


def test_page_past_the_end_and_bad_page_numbers(client, browse_repo):
    assert "No changesets on this page" in visible(client.get(browse_repo.url("changelog") + "?page=99"))
    assert "Answer 42" in visible(client.get(browse_repo.url("changelog") + "?page=x"))


def test_branch_filter(client, browse_repo):
    response = client.get(browse_repo.url("changelog") + "?branch=feature")
    page = visible(response)
    assert "Feature work" in page
    # hg lists the named branch's own changesets (Kallithea's filter); git
    # has no per-commit branch and lists the branch head's history.
    assert ("Make main print" in page) == (browse_repo.kind == "git")
    assert "Answer 42" not in page
    assert '<option value="feature" selected>' in response.content.decode()
    assert "All branches</option>" in response.content.decode()
    assert client.get(browse_repo.url("changelog") + "?branch=nope").status_code == 404


def test_file_history(client, browse_repo):
    response = client.get(browse_repo.url("changelog/tip/src/app.py"))
    page = visible(response)
    assert "Changelog of src/app.py" in page
    assert "Answer 42" in page and "Make main print" in page and "Initial import" in page
    assert "Note" not in page
    assert 'id="changelog-graph-data"' not in response.content.decode()  # no graph for a path
    page = visible(client.get(browse_repo.url("changelog/v1.0/src/app.py")))
    assert "Answer 42" not in page and "Make main print" in page


def test_file_history_of_unknown_path_or_revision_is_404(client, browse_repo):
    assert client.get(browse_repo.url("changelog/tip/nope.txt")).status_code == 404
    assert client.get(browse_repo.url("changelog/nope/src/app.py")).status_code == 404
    assert client.get(browse_repo.url("changelog/tip/../x")).status_code == 404


def test_paging_keeps_the_branch_filter(client, browse_repo):
    page = client.get(
        browse_repo.url("changelog") + f"?branch={browse_repo.default_branch}&size=20"
    ).content.decode()
    assert (
        f'href="/group/project/changelog?branch={browse_repo.default_branch}&amp;size=20&amp;page=2"' in page
    )
