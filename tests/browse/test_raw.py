"""``/REPO/raw/REV/PATH`` and ``/REPO/rawfile/REV/PATH``: bytes served safely."""

import pytest

from .conftest import APP_V2, PNG, SVG

CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def check_safe(response):
    assert response['X-Content-Type-Options'] == 'nosniff'
    assert response['Content-Security-Policy'] == CSP


def test_raw_text_is_plain_utf8(client, browse_repo):
    response = client.get(browse_repo.url('raw/tip/src/app.py'))
    assert response.status_code == 200
    assert response['Content-Type'] == 'text/plain; charset=utf-8'
    assert response.content == APP_V2
    assert 'Content-Disposition' not in response
    check_safe(response)


@pytest.mark.parametrize('path,ctype', [
    ('page.html', 'text/plain; charset=utf-8'),   # never text/html
    ('pic.svg', 'image/svg+xml'),                 # sandboxed by the CSP
    ('img/logo.png', 'image/png'),
    ('data.bin', 'application/octet-stream'),
    ('latin1.txt', 'text/plain; charset=utf-8'),
])
def test_raw_content_types(client, git_repo, path, ctype):
    response = client.get(git_repo.url(f'raw/tip/{path}'))
    assert response.status_code == 200
    assert response['Content-Type'] == ctype
    check_safe(response)


def test_raw_bytes_are_exact(client, browse_repo):
    assert client.get(browse_repo.url('raw/tip/img/logo.png')).content == PNG
    assert client.get(browse_repo.url('raw/tip/pic.svg')).content == SVG
    assert client.get(browse_repo.url('raw/tip/latin1.txt')).content == b'caf\xe9 cr\xe8me\n'


def test_rawfile_is_an_attachment(client, browse_repo):
    response = client.get(browse_repo.url('rawfile/v1.0/src/app.py'))
    assert response.status_code == 200
    assert response['Content-Disposition'] == 'attachment; filename="app.py"'
    check_safe(response)


def test_raw_etag_gives_not_modified(client, git_repo):
    first = client.get(git_repo.url('raw/tip/README.md'))
    again = client.get(git_repo.url('raw/tip/README.md'), HTTP_IF_NONE_MATCH=first['ETag'])
    assert again.status_code == 304


@pytest.mark.parametrize('tail', ['raw/tip/src', 'raw/tip/nope', 'raw/nope/README.md',
                                  'raw/tip/../README.md', 'rawfile/tip/src', 'raw/tip/%2e%2e/x'])
def test_raw_404s(client, git_repo, tail):
    assert client.get(git_repo.url(tail)).status_code == 404
