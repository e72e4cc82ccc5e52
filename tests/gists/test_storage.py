"""The gist store is never a repository: no repository or group can be
named like it, the rescan skips it, and no repository URL reaches it."""

import pytest
from django.core.exceptions import ValidationError

from lindos.gists.storage import (
    ACCESS_ID_ALPHABET,
    STORE_FOLDER,
    UnsafeGistPath,
    build_metadata,
    gist_path,
    is_access_id,
    make_access_id,
)

pytestmark = pytest.mark.django_db


def test_private_ids_are_random_and_from_kallithea_s_alphabet():
    ids = {make_access_id() for _ in range(500)}
    assert len(ids) == 500
    assert all(len(i) == 20 and set(i) <= set(ACCESS_ID_ALPHABET) for i in ids)


@pytest.mark.parametrize("bad", ["", "..", "../x", "a/b", "/abs", "a\x00", "a b", "é", None, 5, "x" * 251])
def test_gist_paths_stay_in_the_store(repo_root, bad):
    assert not is_access_id(bad)
    with pytest.raises(UnsafeGistPath):
        gist_path(bad)


def test_a_symlinked_gist_folder_pointing_outside_is_refused(repo_root, tmp_path):
    (repo_root / STORE_FOLDER).mkdir()
    (repo_root / STORE_FOLDER / "7").symlink_to(tmp_path)
    with pytest.raises(UnsafeGistPath):
        gist_path("7")
    assert gist_path("8") == str(repo_root / STORE_FOLDER / "8")


def test_metadata_keeps_kallithea_s_keys(make_gist):
    import json

    gist = make_gist()
    data = json.loads(build_metadata(gist))
    assert data["gist_access_id"] == gist.access_id and data["gist_expires"] == -1
    with open(gist_path(gist.access_id) + "/.hg/.rc_gist_metadata") as fh:
        written = json.load(fh)
    assert written["gist_db_id"] == gist.pk and written["gist_type"] == "public"


@pytest.mark.parametrize(
    "name", [STORE_FOLDER, f"{STORE_FOLDER}/1", f"group/{STORE_FOLDER}", ".rc_gist_store2"]
)
def test_no_repository_or_group_can_take_the_store_s_name(make_repo, alice, name):
    from lindos.repos.group_actions import do_create_repo_group

    for kind in ("git", "hg"):
        with pytest.raises(ValidationError):
            make_repo(name, kind=kind)
    with pytest.raises(ValidationError):
        do_create_repo_group(name=name, owner=alice)


def test_rescan_and_listings_skip_the_store(client, make_gist, make_repo, repo_root):
    from lindos.repos.models import Repository
    from lindos.repos.scan import find_repositories

    make_repo("visible")
    gist = make_gist()
    assert (repo_root / STORE_FOLDER / gist.access_id / ".hg").is_dir()
    assert [f.name for f in find_repositories()] == ["visible"]
    assert list(Repository.objects.values_list("name", flat=True)) == ["visible"]
    home = client.get("/").content.decode()
    assert "visible" in home and STORE_FOLDER not in home


def test_no_repository_url_reaches_the_store(client, make_gist):
    gist = make_gist()
    base = f"/{STORE_FOLDER}/{gist.access_id}"
    for url in (
        base,
        f"{base}/summary",
        f"{base}/files/tip/hello.py",
        f"{base}/raw/tip/hello.py",
        f"{base}/archive/tip.zip",
        f"{base}?cmd=capabilities",
        f"{base}?cmd=branchmap",
        f"{base}/info/refs?service=git-upload-pack",
        f"/{STORE_FOLDER}",
    ):
        assert client.get(url).status_code in (404, 401), url


@pytest.mark.django_db(transaction=True)
def test_real_clients_cannot_clone_a_gist_as_a_repository(server_url, git, tmp_path, repo_root, alice):
    from lindos.gists.actions import do_create_gist
    from tests.hgclient import hg_client

    gist = do_create_gist(owner=alice, files={"a.txt": b"a\n"})
    hg = hg_client(tmp_path / "hghome")
    for url in (f"{server_url}/{STORE_FOLDER}/{gist.access_id}", f"{server_url}/{STORE_FOLDER}"):
        assert hg("clone", url, str(tmp_path / "hg-copy"), check=False).returncode != 0
        assert git("clone", url, str(tmp_path / "git-copy"), check=False).returncode != 0
    assert not (tmp_path / "hg-copy").exists() and not (tmp_path / "git-copy").exists()
