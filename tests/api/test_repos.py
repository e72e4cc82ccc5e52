"""Repository methods over HTTP with their permission cases: private names
never leak, changes go through the repository actions."""

import os

import pytest

from lindos.repos.models import Repository, RepositoryPermission
from tests.api.conftest import push_commits

REPO_FIELDS = {
    "repo_id",
    "repo_name",
    "repo_type",
    "clone_uri",
    "private",
    "created_on",
    "description",
    "landing_rev",
    "owner",
    "fork_of",
    "enable_statistics",
    "enable_downloads",
    "last_changeset",
}


def test_get_repo_shape_and_privacy(api, alice, bob, make_repo):
    make_repo("pub", owner=bob, description="d")
    make_repo("hidden", owner=bob, private=True)
    result = api.ok(alice.api_key, "get_repo", repoid="pub")
    assert set(result) == REPO_FIELDS | {"members", "followers"}
    assert result["owner"] == "bob" and result["last_changeset"]["revision"] == -1
    # A private repository alice may not read is "does not exist", like one that does not.
    assert api.error(alice.api_key, "get_repo", repoid="hidden") == "repository `hidden` does not exist"
    assert api.error(alice.api_key, "get_repo", repoid="nope") == "repository `nope` does not exist"
    hidden = Repository.objects.get(name="hidden")
    assert (
        api.error(alice.api_key, "get_repo", repoid=hidden.pk) == f"repository `{hidden.pk}` does not exist"
    )
    RepositoryPermission.objects.create(repository=hidden, user=alice, permission="read")
    members = api.ok(alice.api_key, "get_repo", repoid="hidden")["members"]
    assert members == [{"name": "alice", "type": "user", "permission": "repository.read"}]


def test_get_repo_lists_followers(api, alice, bob, make_repo):
    from lindos.activity.models import UserFollowing

    repo = make_repo("pub", owner=bob)  # the owner follows a new repository
    UserFollowing.objects.create(user=alice, follows_repository=repo)
    result = api.ok(alice.api_key, "get_repo", repoid="pub")
    assert [f["username"] for f in result["followers"]] == ["bob", "alice"]
    assert result["enable_statistics"] is True


def test_get_repos_lists_only_readable(api, alice, bob, admin, make_repo):
    make_repo("pub", owner=bob)
    make_repo("hidden", owner=bob, private=True)
    assert [r["repo_name"] for r in api.ok(alice.api_key, "get_repos")] == ["pub"]
    assert {r["repo_name"] for r in api.ok(admin.api_key, "get_repos")} == {"pub", "hidden"}


def test_nodes_changesets_and_changeset(api, git, tmp_path, server_url, alice, bob, make_repo):
    make_repo("code", owner=alice)
    push_commits(
        git,
        tmp_path,
        server_url,
        alice,
        "code",
        {"README": "hi\n", "src/a.py": "a\n", "src/deep/b.py": "b\n"},
    )
    nodes = api.ok(bob.api_key, "get_repo_nodes", repoid="code", revision="main", root_path="")
    assert {"name": "src/deep", "type": "dir"} in nodes
    assert {"name": "src/deep/b.py", "type": "file"} in nodes
    files = api.ok(
        bob.api_key, "get_repo_nodes", repoid="code", revision="main", root_path="src", ret_type="files"
    )
    assert files == [{"name": "src/a.py", "type": "file"}, {"name": "src/deep/b.py", "type": "file"}]
    assert (
        api.error(bob.api_key, "get_repo_nodes", repoid="code", revision="main", root_path="", ret_type="x")
        == "ret_type must be one of all,dirs,files"
    )
    assert (
        api.error(bob.api_key, "get_repo_nodes", repoid="code", revision="nope", root_path="")
        == "failed to get repo: `code` nodes"
    )
    assert (
        api.error(bob.api_key, "get_repo_nodes", repoid="code", revision="main", root_path="../../etc")
        == "failed to get repo: `code` nodes"
    )

    changesets = api.ok(bob.api_key, "get_changesets", repoid="code")
    assert [c["message"].strip() for c in changesets] == ["add README", "add src/a.py", "add src/deep/b.py"]
    assert [c["revision"] for c in changesets] == [0, 1, 2]
    assert set(changesets[0]) == {"short_id", "raw_id", "revision", "message", "date", "author"}
    newest = api.ok(
        bob.api_key, "get_changesets", repoid="code", reverse=True, max_revisions=1, with_file_list=True
    )
    assert len(newest) == 1 and newest[0]["added"] == ["src/deep/b.py"]  # the newest N
    window = api.ok(
        bob.api_key, "get_changesets", repoid="code", start=changesets[1]["raw_id"], with_file_list=True
    )
    assert [c["added"] for c in window] == [["src/a.py"], ["src/deep/b.py"]]
    assert (
        api.error(bob.api_key, "get_changesets", repoid="code", start_date="yesterday")
        == "Invalid type for `start_date` arg in JSON DATA: expected a date as %Y-%m-%dT%H:%M:%S"
    )

    raw_id = changesets[-1]["raw_id"]
    cs = api.ok(bob.api_key, "get_changeset", repoid="code", raw_id=raw_id, with_reviews=True)
    assert cs["raw_id"] == raw_id and cs["revision"] == 2 and cs["reviews"] == []
    assert cs["author"] == {"name": "Tess Ter", "email": "tess@example.com"}
    assert cs["added"] == ["src/deep/b.py"]
    assert (
        api.error(bob.api_key, "get_changeset", repoid="code", raw_id="f" * 40)
        == f"Changeset {'f' * 40} does not exist"
    )


def test_empty_repository_changesets(api, alice, make_repo):
    make_repo("empty", owner=alice)
    assert api.error(alice.api_key, "get_changesets", repoid="empty") == "Repository is empty"


def test_create_repo(api, alice, admin, repo_root):
    from lindos.repos.group_actions import do_create_repo_group, do_set_repo_group_permission

    # creating inside a group needs write on it (alice may not create the group "team")
    assert (
        api.error(alice.api_key, "create_repo", repo_name="team/new")
        == "failed to create repository `team/new`"
    )
    do_set_repo_group_permission(
        do_create_repo_group(name="team", owner=admin), user=alice, permission="write"
    )
    assert api.ok(alice.api_key, "create_repo", repo_name="team/new", description="x", private=True) == {
        "msg": "Created new repository `team/new`",
        "success": True,
    }
    repo = Repository.objects.get(name="team/new")
    assert repo.owner == alice and repo.private and repo.kind == "git"
    assert os.path.isdir(repo.path)
    assert api.error(alice.api_key, "create_repo", repo_name="team/new") == "repo `team/new` already exist"
    assert (
        api.error(alice.api_key, "create_repo", repo_name="x", owner="boss")
        == "Only Kallithea admin can specify `owner` param"
    )
    assert (
        api.error(alice.api_key, "create_repo", repo_name="../escape")
        == "failed to create repository `../escape`"
    )
    assert (
        api.error(alice.api_key, "create_repo", repo_name="team/new/inner")
        == "failed to create repository `team/new/inner`"
    )
    assert (
        api.error(alice.api_key, "create_repo", repo_name="h", repo_type="svn")
        == "failed to create repository `h`"
    )
    assert (
        api.error(alice.api_key, "create_repo", repo_name="imp", clone_uri="http://169.254.169.254/")
        == "failed to create repository `imp`"
    )
    assert (
        api.ok(admin.api_key, "create_repo", repo_name="given", owner="alice", repo_type="hg")["success"]
        is True
    )
    assert Repository.objects.get(name="given").owner == alice


def test_update_repo(api, alice, bob, admin, make_repo):
    make_repo("r", owner=alice)
    assert (
        api.error(bob.api_key, "update_repo", repoid="r", description="pwned")
        == "repository `r` does not exist"
    )
    # moving into a group needs write on it
    assert api.error(alice.api_key, "update_repo", repoid="r", group="g") == "failed to update repo `r`"
    from lindos.repos.group_actions import do_create_repo_group, do_set_repo_group_permission

    do_set_repo_group_permission(do_create_repo_group(name="g", owner=admin), user=alice, permission="write")
    result = api.ok(alice.api_key, "update_repo", repoid="r", description="new", group="g")
    assert result["msg"] == f"updated repo ID:{result['repository']['repo_id']} g/r"
    assert result["repository"]["description"] == "new"
    assert (
        api.error(alice.api_key, "update_repo", repoid="g/r", owner="bob")
        == "Only Kallithea admin can specify `owner` param"
    )
    assert api.ok(admin.api_key, "update_repo", repoid="g/r", owner="bob")["repository"]["owner"] == "bob"


def test_fork_and_delete(api, git, tmp_path, server_url, alice, bob, make_repo):
    make_repo("up", owner=alice)
    make_repo("hidden", owner=alice, private=True)
    push_commits(git, tmp_path, server_url, alice, "up", {"f": "1\n"})
    assert api.ok(bob.api_key, "fork_repo", repoid="up", fork_name="bob/up") == {
        "msg": "Created fork of `up` as `bob/up`",
        "success": True,
    }
    fork = Repository.objects.get(name="bob/up")
    assert fork.owner == bob and fork.fork_of.name == "up"
    assert (
        api.error(bob.api_key, "fork_repo", repoid="up", fork_name="bob/up") == "fork `bob/up` already exist"
    )
    assert (
        api.error(bob.api_key, "fork_repo", repoid="hidden", fork_name="bob/h")
        == "repository `hidden` does not exist"
    )
    assert api.error(bob.api_key, "delete_repo", repoid="up") == "repository `up` does not exist"
    assert (
        api.error(alice.api_key, "delete_repo", repoid="up")
        == "Cannot delete `up` it still contains attached forks"
    )
    assert api.ok(alice.api_key, "delete_repo", repoid="up", forks="detach") == {
        "msg": "Deleted repository `up` Detached 1 forks",
        "success": True,
    }
    assert not Repository.objects.filter(name="up").exists()
    fork.refresh_from_db()
    assert fork.fork_of is None


def test_grant_and_revoke(api, alice, bob, admin, make_repo):
    make_repo("r", owner=alice, private=True)
    assert (
        api.error(alice.api_key, "grant_user_permission", repoid="r", userid="bob", perm="repository.read")
        == "no permission to call `grant_user_permission`: it needs admin rights"
    )
    assert api.ok(
        admin.api_key, "grant_user_permission", repoid="r", userid="bob", perm="repository.write"
    ) == {"msg": "Granted perm: `repository.write` for user: `bob` in repo: `r`", "success": True}
    assert api.ok(bob.api_key, "get_repo", repoid="r")["repo_name"] == "r"
    assert (
        api.error(admin.api_key, "grant_user_permission", repoid="r", userid="bob", perm="repository.god")
        == "permission `repository.god` does not exist"
    )
    assert api.ok(admin.api_key, "revoke_user_permission", repoid="r", userid="bob")["success"]
    assert api.error(bob.api_key, "get_repo", repoid="r") == "repository `r` does not exist"


def test_invalidate_cache_needs_write(api, alice, bob, make_repo):
    make_repo("r", owner=alice)
    assert api.error(bob.api_key, "invalidate_cache", repoid="r") == "repository `r` does not exist"
    assert api.ok(alice.api_key, "invalidate_cache", repoid="r") == {
        "msg": "Cache for repository `r` was invalidated",
        "repository": "r",
    }


REPO_METHODS = [
    ("get_repo", {}),
    ("get_repo_nodes", {"revision": "main", "root_path": ""}),
    ("update_repo", {"description": "x"}),
    ("delete_repo", {}),
    ("invalidate_cache", {}),
    ("get_changesets", {}),
    ("get_changeset", {"raw_id": "main"}),
    ("fork_repo", {"fork_name": "stolen"}),
]


@pytest.mark.parametrize("method, extra", REPO_METHODS)
def test_a_private_repository_does_not_exist_for_strangers(api, alice, bob, make_repo, method, extra):
    make_repo("hidden", owner=bob, private=True)
    for repoid in ("hidden", "nope"):
        assert (
            api.error(alice.api_key, method, repoid=repoid, **extra)
            == f"repository `{repoid}` does not exist"
        ), method
    assert Repository.objects.filter(name="hidden").exists()
    assert not Repository.objects.filter(name="stolen").exists()


@pytest.mark.parametrize("method, extra", REPO_METHODS[2:5])
def test_read_is_not_enough_to_change(api, alice, bob, make_repo, method, extra):
    make_repo("open", owner=bob)
    assert api.error(alice.api_key, method, repoid="open", **extra) == "repository `open` does not exist"


def test_a_private_repository_s_fork_stays_private(api, alice, bob, make_repo):
    source = make_repo("closed", owner=alice, private=True)
    RepositoryPermission.objects.create(repository=source, user=bob, permission="read")
    assert api.ok(bob.api_key, "fork_repo", repoid="closed", fork_name="bob/closed")["success"]
    assert Repository.objects.get(name="bob/closed").private
    assert (
        api.error(bob.api_key, "fork_repo", repoid="closed", fork_name="bob/open", private=False)
        == "failed to fork repository `closed` as `bob/open`"
    )
    assert (
        api.error(bob.api_key, "update_repo", repoid="bob/closed", private=False)
        == "failed to update repo `bob/closed`"
    )
    assert Repository.objects.get(name="bob/closed").private
    assert api.ok(alice.api_key, "fork_repo", repoid="closed", fork_name="alice/open", private=False)[
        "success"
    ]
    assert not Repository.objects.get(name="alice/open").private


def test_statistics_and_downloads_switches(api, alice, bob, admin, make_repo):
    # create_repo: on unless asked (Lindos has no site-wide repository defaults)
    api.ok(alice.api_key, "create_repo", repo_name="plain")
    api.ok(alice.api_key, "create_repo", repo_name="quiet", enable_statistics=False, enable_downloads="false")
    switches = {r.name: (r.enable_statistics, r.enable_downloads) for r in Repository.objects.all()}
    assert switches == {"plain": (True, True), "quiet": (False, False)}
    got = api.ok(alice.api_key, "get_repo", repoid="quiet")
    assert (got["enable_statistics"], got["enable_downloads"]) == (False, False)
    listed = {
        r["repo_name"]: (r["enable_statistics"], r["enable_downloads"])
        for r in api.ok(bob.api_key, "get_repos")
    }
    assert listed == {"plain": (True, True), "quiet": (False, False)}
    # update_repo: each switch alone; an omitted one stays as it is
    result = api.ok(alice.api_key, "update_repo", repoid="quiet", enable_downloads=True)
    assert (result["repository"]["enable_statistics"], result["repository"]["enable_downloads"]) == (
        False,
        True,
    )
    api.ok(alice.api_key, "update_repo", repoid="plain", enable_statistics=0)
    assert Repository.objects.get(name="plain").enable_statistics is False
    assert Repository.objects.get(name="plain").enable_downloads is True
    # fork_repo: the source's switches unless given
    api.ok(bob.api_key, "fork_repo", repoid="quiet", fork_name="bob/quiet")
    api.ok(bob.api_key, "fork_repo", repoid="quiet", fork_name="bob/loud", enable_statistics=True)
    forks = {
        r.name: (r.enable_statistics, r.enable_downloads)
        for r in Repository.objects.filter(name__startswith="bob/")
    }
    assert forks == {"bob/quiet": (False, True), "bob/loud": (True, True)}


def test_switches_need_admin_on_the_repository_and_a_real_boolean(api, alice, bob, make_repo):
    repo = make_repo("r", owner=alice)
    RepositoryPermission.objects.create(repository=repo, user=bob, permission="write")
    for switch in ("enable_statistics", "enable_downloads"):
        assert (
            api.error(bob.api_key, "update_repo", repoid="r", **{switch: False})
            == "repository `r` does not exist"
        )
        assert "`%s`" % switch in api.error(alice.api_key, "update_repo", repoid="r", **{switch: "maybe"})
        assert "`%s`" % switch in api.error(alice.api_key, "update_repo", repoid="r", **{switch: [1]})
    repo.refresh_from_db()
    assert (repo.enable_statistics, repo.enable_downloads) == (True, True)
