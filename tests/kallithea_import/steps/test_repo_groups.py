from lindos.kallithea_import.runner import do_import
from lindos.repos.group_actions import contents
from lindos.repos.models import RepoGroup
from tests.kallithea_import.test_runner import alter


def test_every_repository_group_comes_nested_with_owner_description_and_default(imported, kallithea_rows):
    rows = kallithea_rows(
        "SELECT g.group_name AS name, p.group_name AS parent, g.group_description AS description, "
        "u.username AS owner FROM groups g JOIN users u ON u.user_id = g.user_id "
        "LEFT JOIN groups p ON p.group_id = g.group_parent_id ORDER BY g.group_name"
    )
    assert len(rows) == 2
    got = [
        (g.name, g.parent_name or None, g.description, g.owner.username)
        for g in RepoGroup.objects.select_related("owner").order_by("name")
    ]
    assert got == [(r["name"], r["parent"], r["description"] or "", r["owner"]) for r in rows]
    # The default user had group.read on both.
    assert set(RepoGroup.objects.values_list("default_permission", flat=True)) == {"read"}


def test_the_imported_repositories_are_in_their_groups(imported, kallithea_rows):
    rows = kallithea_rows(
        "SELECT r.repo_name AS repo, g.group_name AS grp FROM repositories r "
        "JOIN groups g ON g.group_id = r.group_id"
    )
    assert len(rows) == 2
    for row in rows:
        group = RepoGroup.objects.get(name=row["grp"])
        _, repos = contents(group)
        assert row["repo"] in set(repos.values_list("name", flat=True))
    subgroups, repos = contents(RepoGroup.objects.get(name="projects"))
    assert list(subgroups.values_list("name", flat=True)) == ["projects/web"]
    assert sorted(repos.values_list("name", flat=True)) == ["projects/hgrepo", "projects/web/site"]


def test_a_group_whose_parent_did_not_come_is_skipped_and_says_why(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(sqlite_fixture, "UPDATE groups SET user_id = 99 WHERE group_name = 'projects'")
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    skipped = {(kind, row): why for kind, row, why in summary.skipped}
    assert skipped[("repository groups", "projects")] == "its owner (user #99) was not imported"
    assert skipped[("repository groups", "projects/web")] == "its parent group projects was not imported"
    assert not RepoGroup.objects.exists()


def test_a_group_with_the_name_of_a_lindos_repository_is_skipped(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(
        sqlite_fixture,
        "UPDATE groups SET group_name = 'gitrepo', group_parent_id = NULL WHERE group_name = 'projects/web'",
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert ("repository groups", "gitrepo", "a Lindos repository has this name") in summary.skipped
    assert list(RepoGroup.objects.values_list("name", flat=True)) == ["projects"]


def test_the_group_pages_list_what_kallithea_showed(imported, client, kallithea_manifest):
    client.post("/_admin/login", {"username": "erin", "password": kallithea_manifest["passwords"]["erin"]})
    page = client.get("/projects", follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/projects/hgrepo"' in text  # private, but erin had admin on it
    assert 'href="/projects/web"' in text
    assert client.get("/_admin/repo_groups/projects/web/edit").status_code in (403, 404)
    client.logout()
    client.post("/_admin/login", {"username": "bob", "password": kallithea_manifest["passwords"]["bob"]})
    # bob owned projects/web (and had admin on it): he manages it in Lindos.
    assert client.get("/_admin/repo_groups/projects/web/edit").status_code == 200
