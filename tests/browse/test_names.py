"""Unusual file names: spaces, URL characters, names that are not UTF-8."""

import io
import zipfile

import pytest

from lindos.vcs.testing import make_git_repo, make_hg_repo

from .conftest import register


@pytest.fixture(params=["git", "hg"])
def odd_repo(request, tmp_path, settings, make_user):
    make = make_git_repo if request.param == "git" else make_hg_repo
    make(
        tmp_path / "odd",
        [
            {
                "files": {
                    b"caf\xe9.txt": b"latin-1 name\n",
                    "dir with space/a #1?.txt": b"hash and question\n",
                    "naïve.md": "# Naïve\n".encode(),
                }
            }
        ],
    )
    register(settings, str(tmp_path), "odd", request.param, make_user())
    return request.param


def test_listing_links_round_trip(client, odd_repo):
    page = client.get("/odd/files/tip/").content.decode()
    assert "caf\ufffd.txt" in page  # shown with a replacement character
    assert 'href="/odd/files/tip/caf%E9.txt"' in page
    assert 'href="/odd/files/tip/dir%20with%20space"' in page
    assert 'href="/odd/files/tip/na%C3%AFve.md"' in page
    assert "latin-1 name" in client.get("/odd/files/tip/caf%E9.txt").content.decode()
    assert client.get("/odd/raw/tip/caf%E9.txt").content == b"latin-1 name\n"
    page = client.get("/odd/files/tip/dir%20with%20space").content.decode()
    assert 'href="/odd/files/tip/dir%20with%20space/a%20%231%3F.txt"' in page
    response = client.get("/odd/raw/tip/dir%20with%20space/a%20%231%3F.txt")
    assert response.content == b"hash and question\n"
    assert client.get("/odd/files/tip/na%C3%AFve.md").status_code == 200


def test_pages_with_odd_names_render(client, odd_repo):
    for url in (
        "/odd",
        "/odd/changelog",
        "/odd/changeset/tip",
        "/odd/annotate/tip/caf%E9.txt",
        "/odd/changelog/tip/caf%E9.txt",
        "/odd/archive/tip.tar.gz",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get("/odd/changeset/tip").content.decode()
    assert "caf\ufffd.txt" in page and "dir with space/a #1?.txt" in page


def test_zip_archive_with_a_non_utf8_name(client, odd_repo):
    response = client.get("/odd/archive/tip.zip")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        # zipfile reads a name without the UTF-8 flag as CP437: the raw byte
        # 0xE9 comes back as the CP437 letter at 0xE9.
        latin1 = next(n for n in names if n.endswith(".txt") and "caf" in n)
        assert latin1.encode("cp437").endswith(b"caf\xe9.txt")
        assert zf.read(latin1) == b"latin-1 name\n"
