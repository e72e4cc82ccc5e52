"""?api_key= and Bearer keys on the pages scripts fetch, over HTTP."""

import io
import urllib.error
import urllib.request
import zipfile

import pytest

from lindos.accounts.api_keys import do_create_api_key
from tests.api.conftest import push_commits


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def private_repo(git, tmp_path, server_url, alice, make_repo):
    make_repo("secret", owner=alice, private=True)
    push_commits(git, tmp_path, server_url, alice, "secret", {"f.txt": "hello\n"})


def test_raw_archive_and_diff_with_a_key(server_url, private_repo, alice, bob):
    extra = do_create_api_key(alice, "farm").api_key
    assert fetch(f"{server_url}/secret/raw/main/f.txt")[0] == 404
    assert fetch(f"{server_url}/secret/raw/main/f.txt?api_key={alice.api_key}") == (200, b"hello\n")
    assert fetch(f"{server_url}/secret/rawfile/main/f.txt?api_key={extra}") == (200, b"hello\n")
    status, body = fetch(
        f"{server_url}/secret/archive/main.zip", headers={"Authorization": f"Bearer {extra}"}
    )
    assert status == 200
    assert any(n.endswith("/f.txt") for n in zipfile.ZipFile(io.BytesIO(body)).namelist())
    assert fetch(f"{server_url}/secret/raw-changeset/main?api_key={extra}")[0] == 200
    # Another user's key gives that user's rights: none here.
    assert fetch(f"{server_url}/secret/raw/main/f.txt?api_key={bob.api_key}")[0] == 404


@pytest.mark.parametrize("key", ["0" * 40, "nonsense", "", "%00", "a" * 5000])
def test_a_wrong_key_is_403(server_url, private_repo, key):
    assert fetch(f"{server_url}/secret/raw/main/f.txt?api_key={key}")[0] == 403


def test_other_pages_ignore_the_key(server_url, private_repo, alice):
    assert fetch(f"{server_url}/secret/summary?api_key={alice.api_key}")[0] == 404
    assert fetch(f"{server_url}/secret/files/main/f.txt?api_key={alice.api_key}")[0] == 404


def test_extra_key_as_git_password(git, tmp_path, server_url, alice, make_repo):
    make_repo("r", owner=alice, private=True)
    extra = do_create_api_key(alice, "push").api_key
    push_commits(git, tmp_path, server_url, alice, "r", {"a": "1\n"}, password=extra)
    from django.utils import timezone

    from lindos.accounts.models import UserApiKey

    UserApiKey.objects.filter(api_key=extra).update(expires=timezone.now())
    host = server_url.split("//", 1)[1]
    result = git("clone", "-q", f"http://alice:{extra}@{host}/r", str(tmp_path / "again"), check=False)
    assert result.returncode != 0
