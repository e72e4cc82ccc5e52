"""Every browser page goes through the repository permission check."""

import pytest

PAGES = [
    "",
    "summary",
    "changelog",
    "changelog/tip/README.md",
    "changeset/tip",
    "raw-changeset/tip",
    "changeset-patch/tip",
    "files/tip/",
    "files/tip/README.md",
    "annotate/tip/README.md",
    "raw/tip/README.md",
    "rawfile/tip/README.md",
    "archive/tip.zip",
    "diff/README.md?diff1=v1.0&diff2=tip",
    "diff-2way/README.md?diff1=v1.0&diff2=tip",
    "authors/tip/README.md",
    "history/tip/README.md",
    "changeset-download/tip",
    "changeset-diff/tip",
    "branches",
    "tags",
]


@pytest.fixture
def private_repo(git_repo):
    git_repo.row.private = True
    git_repo.row.save()
    return git_repo


@pytest.mark.parametrize("tail", PAGES)
def test_private_repository_is_404_for_strangers(client, private_repo, make_user, tail):
    assert client.get(private_repo.url(tail)).status_code == 404  # anonymous
    client.force_login(make_user("stranger"))
    assert client.get(private_repo.url(tail)).status_code == 404


@pytest.mark.parametrize("tail", ["", "files/tip/README.md", "changeset/tip"])
def test_private_repository_is_shown_to_its_readers(client, private_repo, make_user, tail):
    from lindos.repos.models import RepositoryPermission

    reader = make_user("reader")
    RepositoryPermission.objects.create(repository=private_repo.row, user=reader, permission="read")
    client.force_login(reader)
    assert client.get(private_repo.url(tail)).status_code == 200


@pytest.mark.parametrize("tail", PAGES)
def test_unknown_repository_is_404(client, git_repo, tail):
    assert client.get("/group/nope" + (f"/{tail}" if tail else "")).status_code == 404


def test_row_without_directory_is_404(client, git_repo, make_user):
    from lindos.repos.models import Repository

    Repository.objects.create(name="ghost", kind="git", owner=make_user())
    assert client.get("/ghost").status_code == 404
    assert client.get("/ghost/files/tip/").status_code == 404
