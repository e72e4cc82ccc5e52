"""``/REPO/branches`` and ``/REPO/tags``."""

import re

from lindos.repos.browse import refs


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_branches_newest_tip_first(client, browse_repo):
    response = client.get(browse_repo.url("branches"))
    page = text(response)
    default = browse_repo.default_branch
    assert page.index(f"{default} {browse_repo.tip[:12]} Answer 42") < page.index("feature")
    assert 'href="/group/project/changelog?branch=feature"' in response.content.decode()
    assert 'href="/group/project/files/feature/"' in response.content.decode()


def test_tags(client, browse_repo):
    response = client.get(browse_repo.url("tags"))
    assert f"v1.0 {browse_repo.ids[2][:12]} Make main print" in text(response)
    assert 'href="/group/project/changelog/v1.0"' in response.content.decode()


def test_many_refs_are_cut(client, browse_repo, monkeypatch):
    monkeypatch.setattr(refs, "MAX_REFS", 1)
    page = text(client.get(browse_repo.url("branches")))
    assert "1 more not shown." in page
