"""The summary page: ``/REPO`` and ``/REPO/summary``."""

import pytest

from .conftest import NOTES


@pytest.mark.parametrize("tail", ["", "summary"])
def test_summary_shows_description_readme_changes_and_refs(client, browse_repo, tail):
    response = client.get(browse_repo.url(tail))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A project to browse" in page
    assert "http://lindos.example.com/group/project" in page  # clone URL
    # README.md rendered as Markdown, sanitised
    assert "<h1>Project Lindos</h1>" in page
    assert "<em>emphasis</em>" in page
    assert "<script>alert" not in page
    assert "javascript:alert" not in page
    # latest changes: newest first, ten of them
    assert "Answer 42" in page
    assert f"Note {NOTES - 1}" in page
    assert f"Note {NOTES - 9}" in page
    assert f"Note {NOTES - 10}<" not in page
    # branches and tags
    assert browse_repo.default_branch in page
    assert "feature" in page
    assert "v1.0" in page
    assert browse_repo.tip[:12] in page


def test_summary_shows_recent_pushes(client, browse_repo):
    from lindos.repos.journal import RefChange, record_push
    from lindos.repos.models import Repository

    repo = Repository.objects.get(name=browse_repo.name)
    record_push(repo, repo.owner, [RefChange("refs/heads/feature", "0" * 40, browse_repo.ids[3])])
    page = client.get(browse_repo.url()).content.decode()
    assert "Recent activity" in page
    assert "feature: created at" in page
    assert browse_repo.ids[3][:12] in page


def test_empty_repository_summary(client, db, settings, tmp_path, make_user):
    import dataclasses

    from lindos.repos.actions import do_create_repository

    settings.LINDOS = dataclasses.replace(settings.LINDOS, base_path=str(tmp_path))
    do_create_repository(name="empty", kind="git", owner=make_user())
    response = client.get("/empty")
    assert response.status_code == 200
    assert "This repository is empty" in response.content.decode()
    assert client.get("/empty/files/tip/").status_code == 200
    assert client.get("/empty/changelog").status_code == 200
    assert client.get("/empty/changeset/tip").status_code == 404
