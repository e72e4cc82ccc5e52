import pytest

from lindos.accounts.models import User
from lindos.repos.models import (
    RepoGroup,
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    Repository,
    RepositoryUserGroupPermission,
)
from lindos.repos.permissions import group_permission_for, permission_for


def test_user_permissions_on_repository_groups(imported, kallithea_rows):
    rows = kallithea_rows(
        "SELECT u.username, g.group_name, p.permission_name FROM user_repo_group_to_perm t "
        "JOIN users u ON u.user_id = t.user_id JOIN groups g ON g.group_id = t.group_id "
        "JOIN permissions p ON p.permission_id = t.permission_id WHERE u.username != 'default'"
    )
    assert len(rows) == 2
    got = sorted(RepoGroupPermission.objects.values_list("user__username", "group__name", "permission"))
    assert got == sorted((r["username"], r["group_name"], r["permission_name"].split(".")[1]) for r in rows)


def test_user_group_permissions_on_repositories_and_repository_groups(imported, kallithea_rows):
    on_repos = kallithea_rows(
        "SELECT ug.users_group_name AS holder, r.repo_name AS target, p.permission_name "
        "FROM users_group_repo_to_perm t JOIN users_groups ug ON ug.users_group_id = t.users_group_id "
        "JOIN repositories r ON r.repo_id = t.repository_id "
        "JOIN permissions p ON p.permission_id = t.permission_id"
    )
    on_groups = kallithea_rows(
        "SELECT ug.users_group_name AS holder, g.group_name AS target, p.permission_name "
        "FROM users_group_repo_group_to_perm t JOIN users_groups ug ON ug.users_group_id = t.users_group_id "
        "JOIN groups g ON g.group_id = t.group_id JOIN permissions p ON p.permission_id = t.permission_id"
    )
    assert len(on_repos) == 1 and len(on_groups) == 1

    def expected(rows):
        return sorted((r["holder"], r["target"], r["permission_name"].split(".")[1]) for r in rows)

    assert sorted(
        RepositoryUserGroupPermission.objects.values_list(
            "user_group__name", "repository__name", "permission"
        )
    ) == expected(on_repos)
    assert sorted(
        RepoGroupUserGroupPermission.objects.values_list("user_group__name", "group__name", "permission")
    ) == expected(on_groups)
    summary, _ = imported
    assert summary.imported["repository group permissions"] == 2
    assert summary.imported["user group permissions on repositories"] == 1
    assert summary.imported["user group permissions on repository groups"] == 1


#: What Kallithea 0.7 gave each user on the fixture's repositories and groups
#: (its AuthUser: the default user's, the active groups' and the user's own
#: grants, the strongest winning; owners and admins get admin on repositories).
REPOSITORIES = {
    ("alice", "projects/web/site"): "write",  # through the active group "developers"
    ("bob", "projects/web/site"): "write",  # the same
    ("erin", "projects/web/site"): "none",  # the default on it is none
    ("bob", "gitrepo"): "write",
    ("erin", "gitrepo"): "read",
    ("alice", "projects/hgrepo"): "read",
    ("erin", "projects/hgrepo"): "admin",
    ("bob", "projects/hgrepo"): "admin",  # owner
    ("dave", "projects/web/site"): "admin",  # site admin
}
GROUPS = {
    ("bob", "projects"): "write",
    ("bob", "projects/web"): "admin",
    ("alice", "projects/web"): "read",  # the developers' read, and the default read
    ("erin", "projects"): "read",
}


@pytest.mark.parametrize("who,name", sorted(REPOSITORIES))
def test_effective_repository_permissions_are_kallithea_s(imported, who, name):
    user = User.objects.get(username=who)
    assert permission_for(user, Repository.objects.get(name=name)) == REPOSITORIES[(who, name)]


@pytest.mark.parametrize("who,name", sorted(GROUPS))
def test_effective_repository_group_permissions_are_kallithea_s(imported, who, name):
    user = User.objects.get(username=who)
    assert group_permission_for(user, RepoGroup.objects.get(name=name)) == GROUPS[(who, name)]


def test_members_of_an_inactive_group_get_nothing_from_it(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    from lindos.kallithea_import.runner import do_import
    from tests.kallithea_import.test_runner import alter

    alter(
        sqlite_fixture, "UPDATE users_groups SET users_group_active = 0 WHERE users_group_name = 'developers'"
    )
    do_import(sqlite_ini, repos=str(repo_root))
    alice = User.objects.get(username="alice")
    assert permission_for(alice, Repository.objects.get(name="projects/web/site")) == "none"


def test_permissions_on_user_groups_are_kallithea_s(imported, kallithea_rows):
    from lindos.accounts.models import UserGroup, UserGroupPermission
    from lindos.repos.permissions import user_group_permission_for

    rows = kallithea_rows(
        "SELECT u.username, g.users_group_name AS name, p.permission_name FROM user_user_group_to_perm t "
        "JOIN users u ON u.user_id = t.user_id JOIN users_groups g ON g.users_group_id = t.user_group_id "
        "JOIN permissions p ON p.permission_id = t.permission_id"
    )
    # Kallithea wrote a default row on each group and an admin row for its creator.
    assert len(rows) == 4
    level = {(r["username"], r["name"]): r["permission_name"].split(".")[1] for r in rows}
    assert dict(UserGroup.objects.values_list("name", "default_permission")) == {
        name: lvl for (who, name), lvl in level.items() if who == "default"
    }
    assert sorted(
        UserGroupPermission.objects.values_list("user__username", "target_user_group__name", "permission")
    ) == sorted((who, name, lvl) for (who, name), lvl in level.items() if who != "default")
    developers, reviewers = UserGroup.objects.get(name="developers"), UserGroup.objects.get(name="reviewers")
    erin, alice = User.objects.get(username="erin"), User.objects.get(username="alice")
    assert user_group_permission_for(erin, developers) == "read"  # the default
    assert user_group_permission_for(alice, reviewers) == "admin"  # her creator's row (and owner)
    assert user_group_permission_for(alice, developers) == "read"


#: Kallithea's AuthUser.user_group_permissions on the altered copy below.
ON_USER_GROUPS = {
    ("bob", "developers"): "write",  # his own row; the default is none now
    ("alice", "developers"): "none",  # a member gets nothing on the group itself
    ("erin", "developers"): "none",  # reviewers' admin does not count: the group is inactive
    ("bob", "reviewers"): "admin",  # through developers
    ("erin", "reviewers"): "read",  # the default
    ("dave", "developers"): "admin",  # site admin
}


def test_user_group_grants_on_user_groups(sqlite_ini, sqlite_fixture, repo_root, transactional_db):
    from lindos.accounts.models import UserGroup, UserGroupUserGroupPermission
    from lindos.kallithea_import.runner import do_import
    from lindos.repos.permissions import user_group_permission_for
    from tests.kallithea_import.test_runner import alter

    # The fixture has no group-on-group rows: Kallithea's own, as its user
    # group permissions page writes them (ids: developers 1, reviewers 2;
    # usergroup.none 10, .read 11, .write 12, .admin 13).
    alter(
        sqlite_fixture,
        "UPDATE user_user_group_to_perm SET permission_id = 10 WHERE user_id = 1 AND user_group_id = 1",
        "INSERT INTO user_user_group_to_perm (user_id, permission_id, user_group_id) VALUES (4, 12, 1)",
        "INSERT INTO user_group_user_group_to_perm (target_user_group_id, permission_id, user_group_id) "
        "VALUES (2, 13, 1)",
        "INSERT INTO user_group_user_group_to_perm (target_user_group_id, permission_id, user_group_id) "
        "VALUES (1, 13, 2)",
        "INSERT INTO user_group_user_group_to_perm (target_user_group_id, permission_id, user_group_id) "
        "VALUES (2, 11, 2)",  # on itself: Kallithea's page refuses it, a hand-made row is skipped
        "INSERT INTO users_groups_members (users_group_id, user_id) VALUES (2, 7)",
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert sorted(
        UserGroupUserGroupPermission.objects.values_list(
            "user_group__name", "target_user_group__name", "permission"
        )
    ) == [("developers", "reviewers", "admin"), ("reviewers", "developers", "admin")]
    assert summary.imported["user group permissions on user groups"] == 2
    assert (
        "user group permissions on user groups",
        "user group #2, user group #2",
        "a group's permission on itself",
    ) in summary.skipped
    for (who, name), expected in ON_USER_GROUPS.items():
        got = user_group_permission_for(User.objects.get(username=who), UserGroup.objects.get(name=name))
        assert (who, name, got) == (who, name, expected)
    # A second run brings nothing twice.
    again, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert again.already["user group permissions on user groups"] == 2
    assert UserGroupUserGroupPermission.objects.count() == 2
