"""A repository's "Enable downloads" switch: off, archive URLs answer 403
with a message (whatever the revision, format, ETag or cache holds) and
the summary offers no archive links; on again, everything comes back."""

import dataclasses
import os

import pytest

from lindos.repos.browse.archive import DOWNLOADS_DISABLED


def switch_off(repo):
    repo.row.enable_downloads = False
    repo.row.save(update_fields=["enable_downloads"])


@pytest.mark.parametrize(
    "tail", ["archive/tip.zip", "archive/v1.0.tar.gz", "archive/tip.tar.bz2", "archive/tip.tgz"]
)
def test_archives_of_a_repository_with_downloads_off_are_403(client, browse_repo, tail):
    assert client.get(browse_repo.url(tail)).status_code == 200
    switch_off(browse_repo)
    response = client.get(browse_repo.url(tail))
    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == DOWNLOADS_DISABLED
    assert "Content-Disposition" not in response


@pytest.mark.parametrize(
    "tail", ["archive/nope.zip", "archive/tip.rar", "archive/%00.zip", "archive/" + "x" * 5000 + ".zip"]
)
def test_odd_names_are_403_too_not_a_500(client, git_repo, tail):
    switch_off(git_repo)
    assert client.get(git_repo.url(tail)).status_code == 403


def test_a_cached_archive_is_not_served_once_downloads_are_off(client, git_repo, settings, tmp_path):
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS, cache_dir=str(tmp_path), archive_cache_size=1 << 30
    )
    first = client.get(git_repo.url("archive/tip.zip"))
    b"".join(first.streaming_content)
    assert os.listdir(tmp_path / "archives")  # it is in the cache
    switch_off(git_repo)
    response = client.get(git_repo.url("archive/tip.zip"))
    assert response.status_code == 403 and not response.streaming
    # A conditional request with the cached archive's ETag gets no 304 either.
    again = client.get(git_repo.url("archive/tip.zip"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 403


def test_a_private_repository_with_downloads_off_stays_404_for_strangers(client, git_repo, make_user):
    git_repo.row.private = True
    git_repo.row.default_permission = "none"
    git_repo.row.save()
    switch_off(git_repo)
    client.force_login(make_user("stranger"))
    assert client.get(git_repo.url("archive/tip.zip")).status_code == 404


def test_the_summary_offers_no_archives_with_downloads_off(client, browse_repo):
    page = client.get(browse_repo.url()).content.decode()
    assert "/archive/" in page and 'id="downloads-disabled"' not in page
    switch_off(browse_repo)
    page = client.get(browse_repo.url()).content.decode()
    assert "/archive/" not in page
    assert "Downloads are disabled" in page
    assert "settings#id_enable_downloads" not in page  # a visitor gets no link to the settings


def test_an_admin_of_the_repository_gets_a_link_to_switch_them_on(client, git_repo):
    switch_off(git_repo)
    client.force_login(git_repo.row.owner)
    page = client.get(git_repo.url()).content.decode()
    assert "settings#id_enable_downloads" in page and "/archive/" not in page


def test_switched_on_again_archives_come_back(client, git_repo):
    switch_off(git_repo)
    git_repo.row.enable_downloads = True
    git_repo.row.save(update_fields=["enable_downloads"])
    assert client.get(git_repo.url("archive/tip.zip")).status_code == 200
    assert "/archive/" in client.get(git_repo.url()).content.decode()
