"""Archives kept on disk: a second download is the stored file, a repeat
with the ETag is 304, a private repository stays 404, a dropped download
keeps nothing, the folder stays under its cap."""

import dataclasses
import io
import os
import zipfile

import pytest

from lindos.repos.browse.archive_cache import ArchiveCache, archive_key, etag_of


@pytest.fixture
def archive_home(settings, tmp_path):
    def use(max_bytes=1 << 30):
        settings.LINDOS = dataclasses.replace(
            settings.LINDOS, cache_dir=str(tmp_path), archive_cache_size=max_bytes
        )
        return tmp_path / "archives"

    return use


def stored(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.mark.parametrize("ext", ["zip", "tar.gz", "tar.bz2"])
def test_second_download_is_the_stored_archive(client, browse_repo, archive_home, ext):
    folder = archive_home()
    first = client.get(browse_repo.url(f"archive/tip.{ext}"))
    assert first.status_code == 200
    first_body = b"".join(first.streaming_content)
    [name] = stored(folder)
    assert (folder / name).read_bytes() == first_body
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")

    second = client.get(browse_repo.url(f"archive/tip.{ext}"))
    assert second.status_code == 200
    assert second["ETag"] == etag
    assert int(second["Content-Length"]) == len(first_body)
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert b"".join(second.streaming_content) == first_body

    # The same changeset by another name is the same archive.
    by_id = client.get(browse_repo.url(f"archive/{browse_repo.tip}.{ext}"))
    assert by_id["ETag"] == etag and by_id.has_header("Content-Length")
    b"".join(by_id.streaming_content)


def test_if_none_match_is_304(client, git_repo, archive_home):
    archive_home()
    etag = client.get(git_repo.url("archive/tip.zip"))["ETag"]
    again = client.get(git_repo.url("archive/tip.zip"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert client.get(git_repo.url("archive/tip.zip"), HTTP_IF_NONE_MATCH=f'"x", {etag}').status_code == 304
    # Another changeset or format has its own tag.
    assert client.get(git_repo.url("archive/v1.0.zip"), HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.get(git_repo.url("archive/tip.tar.gz"), HTTP_IF_NONE_MATCH=etag).status_code == 200
    # A weak or garbled tag does not match.
    assert client.get(git_repo.url("archive/tip.zip"), HTTP_IF_NONE_MATCH="W/" + etag).status_code == 200
    assert client.get(git_repo.url("archive/tip.zip"), HTTP_IF_NONE_MATCH='"\r\nX-Evil: 1').status_code == 200


def test_a_private_archive_stays_404_whatever_the_etag(client, git_repo, archive_home, make_user):
    archive_home()
    etag = client.get(git_repo.url("archive/tip.zip"))["ETag"]
    git_repo.row.private = True
    git_repo.row.save()
    for headers in ({}, {"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_NONE_MATCH": "*"}):
        assert client.get(git_repo.url("archive/tip.zip"), **headers).status_code == 404
    client.force_login(make_user("stranger"))
    assert client.get(git_repo.url("archive/tip.zip"), HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_a_renamed_repository_gets_its_own_archive(client, git_repo, archive_home):
    folder = archive_home()
    b"".join(client.get(git_repo.url("archive/tip.zip")).streaming_content)
    git_repo.row.name = "group/renamed"
    git_repo.row.save()
    os.rename(os.path.join(os.path.dirname(git_repo.row.path), "project"), git_repo.row.path)
    try:
        response = client.get("/group/renamed/archive/tip.zip")
        with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
            assert all(n.startswith(f"group_renamed-{git_repo.tip[:12]}/") for n in zf.namelist())
        assert len(stored(folder)) == 2
    finally:
        os.rename(git_repo.row.path, os.path.join(os.path.dirname(git_repo.row.path), "project"))


def test_a_dropped_download_keeps_nothing(client, git_repo, archive_home):
    folder = archive_home()
    response = client.get(git_repo.url("archive/tip.tar.gz"))
    next(iter(response.streaming_content))
    response.close()
    assert stored(folder) == []


def test_zero_size_keeps_nothing(client, git_repo, archive_home):
    folder = archive_home(0)
    body = b"".join(client.get(git_repo.url("archive/tip.zip")).streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert stored(folder) == []


def test_an_archive_larger_than_the_cap_is_served_but_not_kept(client, git_repo, archive_home):
    folder = archive_home(100)
    response = client.get(git_repo.url("archive/tip.zip"))
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert stored(folder) == []


def test_least_recently_used_archives_go_first(tmp_path):
    cache = ArchiveCache(str(tmp_path), 250)
    for n, key in enumerate(["a", "b", "c"]):
        list(cache.stream_and_store(iter([bytes([n]) * 100]), key))
        os.utime(tmp_path / key, (1000 + n, 1000 + n))
        if key == "b":
            os.utime(tmp_path / "a", (2000, 2000))  # 'a' was downloaded again
    # Storing 'c' (300 bytes in all) evicted the least recently used: 'b'.
    assert sorted(os.listdir(tmp_path)) == ["a", "c"]
    assert cache.lookup("b") is None and cache.lookup("a") == str(tmp_path / "a")


def test_stale_temporary_files_are_removed(tmp_path):
    stale = tmp_path / ".tmp-dead"
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))
    fresh = tmp_path / ".tmp-busy"
    fresh.write_bytes(b"x")
    ArchiveCache(str(tmp_path), 10).evict()
    assert sorted(os.listdir(tmp_path)) == [".tmp-busy"]


def test_a_failing_archive_keeps_nothing(tmp_path):
    def broken():
        yield b"part"
        raise OSError("git died")

    cache = ArchiveCache(str(tmp_path), 1000)
    with pytest.raises(OSError):
        list(cache.stream_and_store(broken(), "k"))
    assert os.listdir(tmp_path) == []


def test_keys_differ_by_every_part():
    base = archive_key("git", "a" * 40, "zip", "p-aaaa")
    assert (
        len(
            {
                base,
                archive_key("hg", "a" * 40, "zip", "p-aaaa"),
                archive_key("git", "b" * 40, "zip", "p-aaaa"),
                archive_key("git", "a" * 40, "tar.gz", "p-aaaa"),
                archive_key("git", "a" * 40, "zip", "q-aaaa"),
            }
        )
        == 5
    )
    assert etag_of(base) == f'"{base[:40]}"'
