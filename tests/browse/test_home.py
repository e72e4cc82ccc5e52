"""``/REPO`` reached by other spellings: ``/REPO.git`` in a browser."""

import pytest

from lindos.vcs.testing import make_git_repo

from .conftest import register


@pytest.mark.parametrize("url", ["/group/project.git", "/group/project.git/"])
def test_dot_git_redirects_to_the_repository(client, git_repo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/group/project"
    assert "A project to browse" in client.get(url, follow=True).content.decode()


def test_dot_git_of_a_private_repository_is_404_unless_readable(client, git_repo, make_user):
    from lindos.repos.models import RepositoryPermission

    git_repo.row.private = True
    git_repo.row.save()
    assert client.get("/group/project.git").status_code == 404  # anonymous
    client.force_login(make_user("stranger"))
    assert client.get("/group/project.git").status_code == 404
    reader = make_user("reader")
    RepositoryPermission.objects.create(repository=git_repo.row, user=reader, permission="read")
    client.force_login(reader)
    assert client.get("/group/project.git")["Location"] == "/group/project"


@pytest.mark.parametrize("url", ["/group/nope.git", "/.git", "/group/.git"])
def test_dot_git_of_an_unknown_name_is_404(client, git_repo, url):
    assert client.get(url).status_code == 404


def test_a_repository_called_dot_git_is_shown_not_redirected(client, tmp_path, settings, make_user):
    make_git_repo(tmp_path / "plain.git", [{"files": {"README": b"hello\n"}}])
    register(settings, str(tmp_path), "plain.git", "git", make_user())
    response = client.get("/plain.git")
    assert response.status_code == 200
    assert "plain.git" in response.content.decode()
