from lindos.accounts.models import User, UserGroup
from lindos.kallithea_import.runner import do_import
from tests.kallithea_import.test_runner import alter


def test_every_user_group_comes_with_its_flags_owner_and_members(imported, kallithea_rows):
    rows = kallithea_rows(
        "SELECT g.users_group_name AS name, g.user_group_description AS description, "
        "g.users_group_active AS active, u.username AS owner FROM users_groups g "
        "JOIN users u ON u.user_id = g.user_id ORDER BY g.users_group_name"
    )
    members = kallithea_rows(
        "SELECT g.users_group_name AS name, u.username AS username FROM users_groups_members m "
        "JOIN users_groups g ON g.users_group_id = m.users_group_id JOIN users u ON u.user_id = m.user_id"
    )
    assert len(rows) == 2 and len(members) == 3  # the fixture's two groups, one of them inactive
    got = [
        (g.name, g.description, g.active, g.owner.username)
        for g in UserGroup.objects.select_related("owner").order_by("name")
    ]
    assert got == [(r["name"], r["description"] or "", bool(r["active"]), r["owner"]) for r in rows]
    assert sorted((g.name, u.username) for g in UserGroup.objects.all() for u in g.members.all()) == sorted(
        (m["name"], m["username"]) for m in members
    )
    assert UserGroup.objects.get(name="developers").created_at.year >= 2020
    summary, _ = imported
    assert summary.imported["user groups"] == 2 and summary.imported["user group members"] == 3


def test_a_group_lindos_cannot_name_is_skipped_with_its_members(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(sqlite_fixture, "UPDATE users_groups SET users_group_name = 'two words' WHERE users_group_id = 1")
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    skipped = {(kind, row): why for kind, row, why in summary.skipped}
    assert skipped[("user groups", "two words")].startswith("name not allowed in Lindos: ")
    assert skipped[("user group members", "user #3 in group #1")] == "its user or group was not imported"
    assert list(UserGroup.objects.values_list("name", flat=True)) == ["reviewers"]
    # The group's grants go with it, and say why.
    assert any(k == "user group permissions on repositories" for k, _ in skipped)


def test_merge_maps_a_group_of_the_same_name_and_owner_and_skips_another_owner_s(
    sqlite_ini, repo_root, transactional_db
):
    do_import(sqlite_ini, repos=str(repo_root))
    from lindos.kallithea_import.models import ImportedObject

    ImportedObject.objects.filter(kind__in=["user_group", "user_group_member"]).delete()
    UserGroup.objects.filter(name="reviewers").update(owner=User.objects.get(username="bob"))
    before = UserGroup.objects.get(name="developers").pk
    summary, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert UserGroup.objects.get(name="developers").pk == before and UserGroup.objects.count() == 2
    assert ("user groups", "reviewers", "a Lindos user group has this name") in summary.skipped
    assert summary.imported["user group members"] == 0 and summary.already["user groups"] == 1
