"""Admin > Settings > Rescan (Kallithea's /_admin/settings/mapping)."""

import shutil

from lindos.repos.models import Repository
from lindos.vcs.testing import make_git_repo


def test_rescan_adds_repositories_found_on_disk(client, site, repo_root):
    make_git_repo(repo_root / "found" / "ondisk", [{"files": {"a": "1\n"}}])
    client.force_login(site.admin)
    assert b"Rescan repositories" in client.get("/_admin/settings/mapping").content
    response = client.post("/_admin/settings/mapping", follow=True)
    assert response.status_code == 200
    row = Repository.objects.get(name="found/ondisk")
    assert row.owner == site.admin and row.kind == "git"
    assert "1 added (found/ondisk)" in response.content.decode()
    assert Repository.objects.filter(name="team/app").exists()


def test_destroy_removes_rows_whose_folder_is_gone(client, site):
    shutil.rmtree(site.secret.path)
    client.force_login(site.admin)
    client.post("/_admin/settings/mapping")
    assert Repository.objects.filter(name="team/secret").exists()  # not without "destroy"
    response = client.post("/_admin/settings/mapping", {"destroy": "on"}, follow=True)
    assert not Repository.objects.filter(name="team/secret").exists()
    assert Repository.objects.filter(name="team/app").exists()
    assert "1 removed (team/secret)" in response.content.decode()


def test_rescan_is_for_admins(client, site, repo_root):
    make_git_repo(repo_root / "sneaky", [{"files": {"a": "1\n"}}])
    client.force_login(site.ulla)
    assert client.post("/_admin/settings/mapping", {"destroy": "on"}).status_code == 404
    client.logout()
    assert client.post("/_admin/settings/mapping").status_code == 302
    assert not Repository.objects.filter(name="sneaky").exists()
    assert Repository.objects.filter(name="team/secret").exists()


def test_build_name_list():
    from lindos.compat.rescan import build_name_list

    assert build_name_list([]) == "none"
    assert build_name_list(["a", "b"]) == "a, b"
    assert build_name_list([str(i) for i in range(25)], shown=3) == "0, 1, 2 and 22 more"
