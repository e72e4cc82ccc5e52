"""``/REPO/authors/REV/PATH`` and ``/REPO/history/REV/PATH``."""

import html
import re

from lindos.repos.browse import file_history


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode())))


def test_authors_of_a_file(client, browse_repo):
    response = client.get(browse_repo.url("authors/tip/src/app.py"))
    assert response.status_code == 200
    page = text(response)
    assert "1 author of src/app.py" in page  # Zoë made every change to it
    assert "Zoë Ærøskøbing" in page and "<zoe@example.com>" in page
    page = text(client.get(browse_repo.url("authors/tip/notes.txt")))
    assert "1 author of notes.txt" in page and "Bob Builder" in page and "22" in page


def test_authors_up_to_a_revision(client, browse_repo):
    page = text(client.get(browse_repo.url("authors/feature/feature.txt")))
    assert "Bob Builder" in page
    assert client.get(browse_repo.url("authors/v1.0/feature.txt")).status_code == 404


def test_authors_are_counted_within_the_cap(client, browse_repo, monkeypatch):
    monkeypatch.setattr(file_history, "MAX_HISTORY", 5)
    page = text(client.get(browse_repo.url("authors/tip/notes.txt")))
    assert "Counted over the newest 5 changesets" in page
    assert "Bob Builder" in page


def test_history_json(client, browse_repo):
    response = client.get(browse_repo.url("history/tip/src/app.py"))
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["more"] is False
    groups = {group["text"]: group["children"] for group in data["results"]}
    assert [c["id"] for c in groups["Changesets"]] == [browse_repo.ids[i] for i in (-1, 2, 0)]
    default = browse_repo.default_branch
    assert groups["Changesets"][0]["text"] == f"{browse_repo.tip[:12]} ({default})"
    assert {"id": browse_repo.ids[3], "text": "feature"} in groups["Branches"]
    assert {"id": browse_repo.ids[2], "text": "v1.0"} in groups["Tags"]
