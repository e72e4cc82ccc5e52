"""``/REPO/raw/REV/PATH`` and ``/REPO/rawfile/REV/PATH``: bytes served safely."""

import pytest

from .conftest import APP_V2, PNG, SVG

CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def check_safe(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == CSP


def test_raw_text_is_plain_utf8(client, browse_repo):
    response = client.get(browse_repo.url("raw/tip/src/app.py"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == APP_V2
    assert "Content-Disposition" not in response
    check_safe(response)


@pytest.mark.parametrize(
    "path,ctype",
    [
        ("page.html", "text/plain; charset=utf-8"),  # never text/html
        ("pic.svg", "image/svg+xml"),  # sandboxed by the CSP
        ("img/logo.png", "image/png"),
        ("data.bin", "application/octet-stream"),
        ("latin1.txt", "text/plain; charset=utf-8"),
    ],
)
def test_raw_content_types(client, git_repo, path, ctype):
    response = client.get(git_repo.url(f"raw/tip/{path}"))
    assert response.status_code == 200
    assert response["Content-Type"] == ctype
    check_safe(response)


def test_raw_bytes_are_exact(client, browse_repo):
    assert client.get(browse_repo.url("raw/tip/img/logo.png")).content == PNG
    assert client.get(browse_repo.url("raw/tip/pic.svg")).content == SVG
    assert client.get(browse_repo.url("raw/tip/latin1.txt")).content == b"caf\xe9 cr\xe8me\n"


def test_rawfile_is_an_attachment(client, browse_repo):
    response = client.get(browse_repo.url("rawfile/v1.0/src/app.py"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="app.py"'
    check_safe(response)


def test_raw_etag_gives_not_modified(client, git_repo):
    first = client.get(git_repo.url("raw/tip/README.md"))
    again = client.get(git_repo.url("raw/tip/README.md"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "tail",
    [
        "raw/tip/src",
        "raw/tip/nope",
        "raw/nope/README.md",
        "raw/tip/../README.md",
        "rawfile/tip/src",
        "raw/tip/%2e%2e/x",
    ],
)
def test_raw_404s(client, git_repo, tail):
    assert client.get(git_repo.url(tail)).status_code == 404


# -- big files: streamed, never held whole ---------------

BIG_SIZE = 6 * 1024 * 1024
BIG_TEXT = b"".join(b"line %07d of a big log file\n" % n for n in range(BIG_SIZE // 28))
MID_TEXT = b"a line of text\n" * (2 * 1024 * 1024 // 15)  # 2 MiB: over the display limit
BIG_BINARY = b"\x00\x01" + bytes(range(256)) * (BIG_SIZE // 256)


@pytest.fixture(scope="module")
def big_roots(tmp_path_factory):
    from lindos.vcs.testing import make_git_repo, make_hg_repo

    roots = {}
    for kind, make in (("git", make_git_repo), ("hg", make_hg_repo)):
        root = tmp_path_factory.mktemp(f"big-{kind}")
        make(
            root / "big",
            [
                {
                    "message": "Big files",
                    "files": {
                        "bigtext": BIG_TEXT,
                        "big.dat": BIG_BINARY,
                        "mid.txt": MID_TEXT,
                        "small.txt": b"small\n",
                    },
                }
            ],
        )
        roots[kind] = str(root)
    return roots


@pytest.fixture(params=["git", "hg"])
def big_repo(request, big_roots, settings, make_user):
    from .conftest import register

    register(settings, big_roots[request.param], "big", request.param, make_user("owner"))
    return request.param


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize("view", ["raw", "rawfile"])
def test_big_file_is_streamed_exactly(client, big_repo, view):
    response, body = _download(client, f"/big/{view}/tip/bigtext")
    assert body == BIG_TEXT
    assert response["Content-Length"] == str(len(BIG_TEXT))
    assert response["Content-Type"] == "text/plain; charset=utf-8"  # sniffed from the head
    check_safe(response)
    response, body = _download(client, f"/big/{view}/tip/big.dat")
    assert body == BIG_BINARY
    assert response["Content-Type"] == "application/octet-stream"


def _peak_python_memory(action) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("view", ["raw", "rawfile"])
def test_big_git_download_never_holds_the_file(client, big_roots, settings, make_user, view):
    """The attack: downloads of a big file each held it whole in the server
    (16 parallel downloads of 50 MB: 258 -> 1,092 MiB). A download must
    cost a few chunks, whatever the file's size."""
    from .conftest import register

    register(settings, big_roots["git"], "big", "git", make_user("owner"))
    import hashlib

    digest = hashlib.sha256()

    def download():
        response = client.get(f"/big/{view}/tip/bigtext")
        for chunk in response.streaming_content:  # hashed, not kept
            digest.update(chunk)

    peak = _peak_python_memory(download)
    assert digest.digest() == hashlib.sha256(BIG_TEXT).digest()
    assert peak < len(BIG_TEXT) // 4, peak


@pytest.mark.parametrize("page", ["files", "annotate"])
def test_pages_of_a_big_file_do_not_read_it(client, big_repo, big_roots, page):
    """A page of a file over the display limit links to the raw file
    instead of loading it (the type sniffing reads only its head)."""
    peak = _peak_python_memory(lambda: client.get(f"/big/{page}/tip/bigtext"))
    response = client.get(f"/big/{page}/tip/bigtext")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/big/raw/tip/bigtext" in text or "/big/rawfile/tip/bigtext" in text
    assert "line 0000001" not in text
    if big_repo == "git":  # hg rebuilds a file revision whole (see lindos.vcs.hg.nodes)
        assert peak < len(BIG_TEXT) // 2, peak


def test_text_over_the_display_limit_is_only_linked(client, big_repo):
    """Even unhighlighted, rendering megabytes of text costs several copies
    of the file per view: past 1 MiB the page links to the raw file."""
    page = client.get("/big/files/tip/mid.txt").content.decode()
    assert "too big to show" in page and "/big/raw/tip/mid.txt" in page
    assert "a line of text" not in page
