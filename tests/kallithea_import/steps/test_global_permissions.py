import pytest

from lindos.accounts.models import GlobalPermissionGrant, User
from lindos.appsettings.models import AppSettings
from lindos.kallithea_import.runner import do_import
from lindos.kallithea_import.steps.global_permissions import build_defaults
from lindos.repos.permissions import has_global_permission
from tests.kallithea_import.test_runner import alter


@pytest.mark.parametrize(
    "active,perms,expected",
    [
        (True, [], {"anonymous_access": True}),
        (
            False,
            ["hg.create.none", "hg.fork.repository", "hg.usergroup.create.false", "group.write"],
            {
                "anonymous_access": False,
                "create_repositories": False,
                "fork_repositories": True,
                "create_user_groups": False,
                "default_group_permission": "write",
            },
        ),
        (
            True,
            ["hg.create.repository", "hg.fork.none", "hg.usergroup.create.true", "group.none"],
            {
                "anonymous_access": True,
                "create_repositories": True,
                "fork_repositories": False,
                "create_user_groups": True,
                "default_group_permission": "none",
            },
        ),
        (True, ["usergroup.write"], {"anonymous_access": True, "default_user_group_permission": "write"}),
        # Names Lindos has no field for change nothing.
        (True, ["hg.extern_activate.auto", "usergroup.bogus", "group.bogus"], {"anonymous_access": True}),
    ],
)
def test_build_defaults(active, perms, expected):
    assert build_defaults(active, perms) == expected


def test_the_default_user_s_permissions_are_the_site_s(imported, kallithea_rows, client):
    default = kallithea_rows("SELECT active FROM users WHERE username = 'default'")[0]
    perms = {
        r["permission_name"]
        for r in kallithea_rows(
            "SELECT p.permission_name FROM user_to_perm t JOIN users u ON u.user_id = t.user_id "
            "JOIN permissions p ON p.permission_id = t.permission_id WHERE u.username = 'default'"
        )
    }
    assert not default["active"]
    assert {"hg.create.none", "hg.fork.repository", "hg.usergroup.create.false", "group.read"} <= perms
    s = AppSettings.objects.get(pk=1)
    assert (s.anonymous_access, s.create_repositories, s.fork_repositories, s.create_user_groups) == (
        False,
        False,
        True,
        False,
    )
    assert (s.default_group_permission, s.create_repo_groups) == ("read", False)
    assert s.default_user_group_permission == "read"  # usergroup.read
    # Anonymous access was off in Kallithea: a public repository asks for a login.
    response = client.get("/gitrepo")
    assert response.status_code in (302, 401, 404) and b"gitrepo" not in response.content
    erin = User.objects.get(username="erin")
    assert not has_global_permission(erin, "create_repository") and has_global_permission(erin, "fork")
    summary, _ = imported
    assert ("default global permissions", 1) in [n[:2] for n in summary.not_imported]


def test_users_and_user_groups_global_rights(sqlite_ini, sqlite_fixture, repo_root, transactional_db):
    # The fixture has no such grants: Kallithea's own rows, as its
    # Admin > Users / User groups > Permissions pages write them.
    alter(
        sqlite_fixture,
        "INSERT INTO user_to_perm (user_id, permission_id) VALUES (4, 17)",  # bob: hg.create.repository
        "INSERT INTO user_to_perm (user_id, permission_id) VALUES (4, 15)",  # bob: hg.usergroup.create.true
        "INSERT INTO user_to_perm (user_id, permission_id) VALUES (7, 18)",  # erin: hg.fork.none
        "INSERT INTO user_to_perm (user_id, permission_id) VALUES (7, 21)",  # erin: hg.register.*
        # developers (alice, bob): hg.usergroup.create.true; reviewers (inactive): hg.create.repository
        "INSERT INTO users_group_to_perm (users_group_id, permission_id) VALUES (1, 15)",
        "INSERT INTO users_group_to_perm (users_group_id, permission_id) VALUES (2, 17)",
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    grants = sorted(
        (g.user.username if g.user else g.user_group.name, g.permission)
        for g in GlobalPermissionGrant.objects.select_related("user", "user_group")
    )
    assert grants == [
        ("bob", "create_repository"),
        ("bob", "create_user_group"),
        ("developers", "create_user_group"),
        ("reviewers", "create_repository"),
    ]
    alice, bob, erin = (User.objects.get(username=n) for n in ("alice", "bob", "erin"))
    assert has_global_permission(bob, "create_repository") and not has_global_permission(
        alice, "create_repository"
    )
    assert has_global_permission(alice, "create_user_group") and not has_global_permission(
        erin, "create_user_group"
    )
    # hg.fork.none gave nothing beyond the default (forks allowed), in Kallithea too.
    assert has_global_permission(erin, "fork")
    assert (
        "global permissions",
        "hg.register.manual_activate of user #7",
        "no per-user or per-group right in Lindos",
    ) in summary.skipped
    assert ("global permissions granting nothing", 1) in [n[:2] for n in summary.not_imported]
    again, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert GlobalPermissionGrant.objects.count() == 4 and again.imported["global permissions"] == 0
