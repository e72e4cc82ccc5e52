"""``/REPO/changelog`` and ``/REPO/changelog/REV/PATH``."""

import re

from .conftest import NOTES


def visible(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def has_note(page: str, n: int) -> bool:
    return re.search(rf"Note {n}\b", page) is not None


def test_first_page_has_twenty_newest_changesets_and_an_older_link(client, browse_repo):
    response = client.get(browse_repo.url("changelog"))
    page = visible(response)
    assert "Answer 42" in page
    assert has_note(page, NOTES - 1)
    assert has_note(page, NOTES - 19)
    assert not has_note(page, NOTES - 20)
    assert page.count("Note ") == 19
    assert "Page 1" in page and "Older" in page and "Newer" not in page
    assert f'href="/group/project/changeset/{browse_repo.tip}"' in response.content.decode()


def test_second_page_continues_to_the_first_commit(client, browse_repo):
    page = visible(client.get(browse_repo.url("changelog") + "?page=2"))
    assert has_note(page, NOTES - 20)
    assert "Initial import" in page
    assert "Café crème fix" in page  # Latin-1 message displayed
    assert "Feature work" not in page  # not on the default branch
    assert "Newer" in page and "Older" not in page


def test_page_past_the_end_and_bad_page_numbers(client, browse_repo):
    assert "No changesets on this page" in visible(client.get(browse_repo.url("changelog") + "?page=99"))
    assert "Answer 42" in visible(client.get(browse_repo.url("changelog") + "?page=x"))


def test_branch_filter(client, browse_repo):
    response = client.get(browse_repo.url("changelog") + "?branch=feature")
    page = visible(response)
    assert "Feature work" in page
    assert "Make main print" in page
    assert "Answer 42" not in page
    assert '<option value="feature" selected>' in response.content.decode()
    assert client.get(browse_repo.url("changelog") + "?branch=nope").status_code == 404


def test_file_history(client, browse_repo):
    page = visible(client.get(browse_repo.url("changelog/tip/src/app.py")))
    assert "Changelog of src/app.py" in page
    assert "Answer 42" in page and "Make main print" in page and "Initial import" in page
    assert "Note" not in page
    page = visible(client.get(browse_repo.url("changelog/v1.0/src/app.py")))
    assert "Answer 42" not in page and "Make main print" in page


def test_file_history_of_unknown_path_or_revision_is_404(client, browse_repo):
    assert client.get(browse_repo.url("changelog/tip/nope.txt")).status_code == 404
    assert client.get(browse_repo.url("changelog/nope/src/app.py")).status_code == 404
    assert client.get(browse_repo.url("changelog/tip/../x")).status_code == 404


def test_paging_keeps_the_branch_filter(client, browse_repo):
    page = client.get(browse_repo.url("changelog") + f"?branch={browse_repo.default_branch}").content.decode()
    assert f'href="/group/project/changelog?branch={browse_repo.default_branch}&amp;page=2"' in page
