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
