"""What API calls change is in the admin log, with the caller and their
address, under Kallithea's action names; a refused call writes nothing.
Every call goes through the live server's ``/_admin/api``."""

import pytest

from lindos.activity.models import ActionLog
from lindos.api.action_log import build_remote_detail
from lindos.repos.models import JournalEntry, Repository
from tests.api.test_pullrequests import pr  # noqa: F401  (fixture)
from tests.api.test_server import dumb_http_remote  # noqa: F401  (fixture)


def lines():
    """``(username, action, repository name, detail, address)``, oldest first."""
    return [
        (a.username, a.action, a.repository_name, a.detail, a.address)
        for a in ActionLog.objects.order_by("created_at", "id")
    ]


def refused(api, key, method, **args):
    """Call, expect an error, and check it left no admin log line."""
    before = ActionLog.objects.count()
    error = api.error(key, method, **args)
    assert ActionLog.objects.count() == before, (method, error)
    return error


ADDR = "127.0.0.1"


def test_repository_methods(api, alice, bob, admin, make_repo):
    api.ok(alice.api_key, "create_repo", repo_name="r")
    api.ok(bob.api_key, "fork_repo", repoid="r", fork_name="bob-r")
    # Creating and forking go to the journals, with who did it (as on the pages).
    journal = {(e.repository.name, e.action, e.user.username) for e in JournalEntry.objects.all()}
    assert journal == {("r", "create", "alice"), ("r", "fork", "bob"), ("bob-r", "create", "bob")}
    api.ok(alice.api_key, "update_repo", repoid="r", description="new", enable_downloads=False)
    api.ok(admin.api_key, "grant_user_permission", repoid="r", userid="bob", perm="repository.write")
    api.ok(admin.api_key, "revoke_user_permission", repoid="r", userid="bob")
    api.ok(alice.api_key, "delete_repo", repoid="r", forks="delete")
    assert lines() == [
        ("alice", "admin_updated_repo", "r", "", ADDR),
        ("boss", "admin_changed_repo_permissions", "r", "user bob: repository.write", ADDR),
        ("boss", "admin_revoked_repo_permissions", "r", "user bob", ADDR),
        ("alice", "admin_deleted_repo", "bob-r", "", ADDR),
        ("alice", "admin_deleted_repo", "r", "", ADDR),
    ]
    # The deleted repositories' lines keep their names.
    assert not Repository.objects.exists()


def test_refused_repository_calls_write_nothing(api, alice, bob, admin, make_repo):
    child = make_repo("child", owner=alice)
    child.fork_of = make_repo("r", owner=alice)
    child.save()
    refused(api, bob.api_key, "update_repo", repoid="r", enable_statistics=False)
    refused(api, bob.api_key, "delete_repo", repoid="r")
    refused(api, alice.api_key, "delete_repo", repoid="r")  # attached forks
    refused(api, alice.api_key, "update_repo", repoid="r", name="../x")
    refused(api, alice.api_key, "grant_user_permission", repoid="r", userid="bob", perm="repository.read")
    refused(api, admin.api_key, "grant_user_permission", repoid="r", userid="bob", perm="repository.god")
    refused(api, admin.api_key, "revoke_user_permission", repoid="r", userid="nobody")
    refused(api, alice.api_key, "create_repo", repo_name="r")
    refused(api, bob.api_key, "fork_repo", repoid="r", fork_name="../up")
    assert ActionLog.objects.count() == 0
    assert JournalEntry.objects.filter(action="fork").count() == 0


def test_user_methods(api, admin, alice):
    api.ok(admin.api_key, "create_user", username="carol", email="carol@example.com", password="pw-123456")
    api.ok(admin.api_key, "update_user", userid="carol", firstname="Carol")
    api.ok(admin.api_key, "delete_user", userid="carol")
    refused(api, alice.api_key, "create_user", username="eve", email="eve@example.com")
    refused(api, admin.api_key, "create_user", username="alice", email="x@example.com")
    refused(api, admin.api_key, "update_user", userid="boss", admin=False)
    refused(api, admin.api_key, "delete_user", userid="boss")
    assert lines() == [
        ("boss", "admin_created_user", "", "carol", ADDR),
        ("boss", "admin_updated_user", "", "carol", ADDR),
        ("boss", "admin_deleted_user", "", "carol", ADDR),
    ]


def test_user_group_methods(api, admin, alice, bob, make_repo):
    make_repo("r", owner=alice)
    api.ok(admin.api_key, "create_user_group", group_name="devs")
    api.ok(admin.api_key, "update_user_group", usergroupid="devs", description="d")
    api.ok(admin.api_key, "add_user_to_user_group", usergroupid="devs", userid="bob")
    assert (
        api.ok(admin.api_key, "add_user_to_user_group", usergroupid="devs", userid="bob")["success"] is False
    )
    api.ok(admin.api_key, "remove_user_from_user_group", usergroupid="devs", userid="bob")
    api.ok(
        alice.api_key, "grant_user_group_permission", repoid="r", usergroupid="devs", perm="repository.read"
    )
    api.ok(alice.api_key, "revoke_user_group_permission", repoid="r", usergroupid="devs")
    refused(
        api,
        bob.api_key,
        "grant_user_group_permission",
        repoid="r",
        usergroupid="devs",
        perm="repository.read",
    )
    refused(api, bob.api_key, "update_user_group", usergroupid="devs", description="pwned")
    refused(api, bob.api_key, "delete_user_group", usergroupid="devs")
    api.ok(admin.api_key, "delete_user_group", usergroupid="devs")
    assert lines() == [
        ("boss", "admin_created_users_group", "", "devs", ADDR),
        ("boss", "admin_updated_users_group", "", "devs", ADDR),
        ("boss", "admin_updated_users_group", "", "devs: added bob", ADDR),
        ("boss", "admin_updated_users_group", "", "devs: removed bob", ADDR),
        ("alice", "admin_changed_repo_permissions", "r", "user group devs: repository.read", ADDR),
        ("alice", "admin_revoked_repo_permissions", "r", "user group devs", ADDR),
        ("boss", "admin_deleted_users_group", "", "devs", ADDR),
    ]


def test_repository_group_methods(api, admin, alice):
    api.ok(admin.api_key, "create_user_group", group_name="devs")
    ActionLog.objects.all().delete()
    api.ok(admin.api_key, "create_repo_group", group_name="team")
    api.ok(admin.api_key, "update_repo_group", repogroupid="team", description="d")
    api.ok(
        admin.api_key,
        "grant_user_permission_to_repo_group",
        repogroupid="team",
        userid="alice",
        perm="group.write",
    )
    api.ok(admin.api_key, "revoke_user_permission_from_repo_group", repogroupid="team", userid="alice")
    api.ok(
        admin.api_key,
        "grant_user_group_permission_to_repo_group",
        repogroupid="team",
        usergroupid="devs",
        perm="group.read",
        apply_to_children="all",
    )
    api.ok(
        admin.api_key, "revoke_user_group_permission_from_repo_group", repogroupid="team", usergroupid="devs"
    )
    refused(api, alice.api_key, "create_repo_group", group_name="mine")
    refused(api, admin.api_key, "create_repo_group", group_name="a/b")
    refused(
        api,
        alice.api_key,
        "grant_user_permission_to_repo_group",
        repogroupid="team",
        userid="alice",
        perm="group.admin",
    )
    refused(
        api,
        admin.api_key,
        "grant_user_permission_to_repo_group",
        repogroupid="team",
        userid="alice",
        perm="group.god",
    )
    api.ok(admin.api_key, "delete_repo_group", repogroupid="team")
    assert lines() == [
        ("boss", "admin_created_repo_group", "", "team", ADDR),
        ("boss", "admin_updated_repo_group", "", "team", ADDR),
        (
            "boss",
            "admin_changed_repo_group_permissions",
            "",
            "team: user alice: group.write (recursive:none)",
            ADDR,
        ),
        ("boss", "admin_revoked_repo_group_permissions", "", "team: user alice (recursive:none)", ADDR),
        (
            "boss",
            "admin_changed_repo_group_permissions",
            "",
            "team: user group devs: group.read (recursive:all)",
            ADDR,
        ),
        ("boss", "admin_revoked_repo_group_permissions", "", "team: user group devs (recursive:none)", ADDR),
        ("boss", "admin_deleted_repo_group", "", "team", ADDR),
    ]


def test_pull_and_rescan(api, dumb_http_remote, admin, alice, make_repo, repo_root):  # noqa: F811
    make_repo("mirror", owner=admin)
    secret_url = dumb_http_remote.replace("http://", "http://someone:hunter2@")
    api.ok(admin.api_key, "pull", repoid="mirror", clone_uri=secret_url)
    refused(api, admin.api_key, "pull", repoid="mirror", clone_uri="file:///etc")
    refused(api, alice.api_key, "pull", repoid="mirror", clone_uri=dumb_http_remote)
    # a repository whose folder is gone, dropped by rescan_repos
    gone = make_repo("gone", owner=admin)
    import shutil

    shutil.rmtree(gone.path)
    refused(api, alice.api_key, "rescan_repos", remove_obsolete=True)
    api.ok(admin.api_key, "rescan_repos", remove_obsolete=True)
    [pulled, dropped] = lines()
    assert pulled == ("boss", "push_remote", "mirror", dumb_http_remote, ADDR)
    assert "hunter2" not in str(lines())
    assert dropped == ("boss", "admin_deleted_repo", "gone", "", ADDR)


def test_pull_request_methods(api, pr, alice, bob, make_user):  # noqa: F811
    refused(api, bob.api_key, "comment_pullrequest", pull_request_id=pr.pk, comment_msg="x", close_pr=True)
    refused(api, make_user("stranger").api_key, "edit_reviewers", pull_request_id=pr.pk, add="alice")
    refused(api, alice.api_key, "comment_pullrequest", pull_request_id=pr.pk, status="bogus")
    refused(api, alice.api_key, "edit_reviewers", pull_request_id=pr.pk, add="nobody")
    api.ok(
        bob.api_key, "comment_pullrequest", pull_request_id=pr.pk, comment_msg="Looks good", status="approved"
    )
    api.ok(alice.api_key, "edit_reviewers", pull_request_id=pr.pk, add="alice", remove="bob")
    api.ok(alice.api_key, "comment_pullrequest", pull_request_id=pr.pk, comment_msg="Merged", close_pr=True)
    refused(api, alice.api_key, "comment_pullrequest", pull_request_id=pr.pk, comment_msg="again")
    n = str(pr.pk)
    assert lines() == [
        ("bob", "user_commented_pull_request", "proj", n, ADDR),
        ("alice", "user_edited_pull_request_reviewers", "proj", n, ADDR),
        ("alice", "user_commented_pull_request", "proj", n, ADDR),
        ("alice", "user_closed_pull_request", "proj", n, ADDR),
    ]


def test_entries_show_on_the_admin_log_page(api, client, admin, alice, make_repo):
    make_repo("shown", owner=alice)
    api.ok(alice.api_key, "update_repo", repoid="shown", description="<script>x</script>")
    client.force_login(admin)
    page = client.get("/_admin").content.decode()
    assert "admin_updated_repo" in page and f'<td class="mono">{ADDR}</td>' in page
    client.force_login(alice)
    assert client.get("/_admin").status_code in (302, 403, 404)  # only site admins read it


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://user:pw@example.com/repo.git", "https://example.com/repo.git"),
        ("https://example.com:8443/r?token=x#frag", "https://example.com:8443/r"),
        ("http://u:p@[::1]:80/r", "http://[::1]:80/r"),
        ("http://bad:port:here/", ""),
        ("", ""),
    ],
)
def test_build_remote_detail_drops_credentials(url, expected):
    assert build_remote_detail(url) == expected
