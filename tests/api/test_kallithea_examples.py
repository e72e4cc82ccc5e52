"""The calls of Kallithea's docs/api/api.rst, with its argument names, made
against a live Lindos: every field its OUTPUT shows is in the result.

The table lists, per method, the example's arguments (api.rst's INPUT with
its placeholders filled in) and the top-level fields of its OUTPUT.  Where
api.rst and Kallithea 0.7's code disagree the code wins, as a script written
against a Kallithea server saw the code: ``ldap_dn`` (documented, never
returned: 0.7 returns ``extern_name``/``extern_type``), ``ip_addr_server``
(returned as ``server_ip_addr``), and ``create_repo``'s ``repo`` (0.7 returns
``success``)."""

import pytest

from lindos.review.actions import do_create_pull_request
from tests.api.conftest import push_commits

USER = {
    "user_id",
    "api_key",
    "username",
    "firstname",
    "lastname",
    "email",
    "emails",
    "ip_addresses",
    "active",
    "admin",
    "last_login",
}
REPO = {
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
    "enable_downloads",
    "enable_statistics",
}
CHANGESET = {"raw_id", "short_id", "author", "date", "message", "revision"}

EXAMPLES = [
    ("rescan_repos", {"remove_obsolete": False}, {"added", "removed"}),
    ("invalidate_cache", {"repoid": "{repo}"}, {"msg", "repository"}),
    ("get_ip", {"userid": "{user}"}, {"server_ip_addr", "user_ips"}),
    ("get_user", {"userid": "{user}"}, USER | {"permissions"}),
    ("get_users", {}, USER),
    (
        "create_user",
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password": "pw-newbie-1",
            "firstname": "New",
            "lastname": "Bie",
            "active": True,
            "admin": False,
        },
        {"msg", "user"},
    ),
    ("update_user", {"userid": "{user}", "firstname": "Renamed", "active": True}, {"msg", "user"}),
    (
        "get_repo",
        {"repoid": "{repo}", "with_revision_names": True, "with_pullrequests": True},
        REPO | {"last_changeset", "members", "followers", "tags", "branches", "bookmarks", "pull_requests"},
    ),
    ("get_repos", {}, REPO),
    (
        "get_repo_nodes",
        {"repoid": "{repo}", "revision": "main", "root_path": "", "ret_type": "all"},
        {"name", "type"},
    ),
    (
        "create_repo",
        {
            "repo_name": "fresh",
            "owner": "{user}",
            "repo_type": "git",
            "description": "d",
            "private": False,
            "landing_rev": "rev:tip",
            "enable_downloads": True,
            "enable_statistics": True,
        },
        {"msg", "success"},
    ),
    (
        "update_repo",
        {
            "repoid": "{repo}",
            "name": "{repo}",
            "owner": "{user}",
            "description": "new",
            "private": False,
            "landing_rev": "rev:tip",
            "enable_downloads": True,
            "enable_statistics": True,
        },
        {"msg", "repository"},
    ),
    (
        "fork_repo",
        {
            "repoid": "{repo}",
            "fork_name": "forked",
            "owner": "{user}",
            "description": "f",
            "copy_permissions": True,
            "private": False,
            "landing_rev": "rev:tip",
        },
        {"msg", "success"},
    ),
    (
        "grant_user_permission",
        {"repoid": "{repo}", "userid": "{user}", "perm": "repository.write"},
        {"msg", "success"},
    ),
    ("revoke_user_permission", {"repoid": "{repo}", "userid": "{user}"}, {"msg", "success"}),
    (
        "get_changesets",
        {
            "repoid": "{repo}",
            "start": None,
            "end": None,
            "start_date": None,
            "end_date": None,
            "branch_name": None,
            "reverse": False,
            "with_file_list": True,
        },
        CHANGESET | {"added", "changed", "removed"},
    ),
    (
        "get_changeset",
        {"repoid": "{repo}", "raw_id": "{raw_id}", "with_reviews": True},
        CHANGESET | {"reviews", "added", "changed", "removed"},
    ),
    (
        "get_pullrequest",
        {"pullrequest_id": "{pr}"},
        {
            "status",
            "pull_request_id",
            "description",
            "title",
            "url",
            "reviewers",
            "org_repo_url",
            "org_ref_parts",
            "other_ref_parts",
            "comments",
            "owner",
            "statuses",
            "revisions",
        },
    ),
    (
        "comment_pullrequest",
        {"pull_request_id": "{pr}", "comment_msg": "ok", "status": "approved", "close_pr": False},
        None,
    ),
    ("delete_repo", {"repoid": "fresh", "forks": ""}, {"msg", "success"}),
    ("delete_user", {"userid": "newbie"}, {"msg", "user"}),
]


@pytest.fixture
def world(git, tmp_path, server_url, admin, alice, make_repo):
    repo = make_repo("project", owner=alice)
    push_commits(git, tmp_path, server_url, alice, "project", {"a": "1\n"})
    push_commits(git, tmp_path, server_url, alice, "project", {"b": "2\n"}, branch="topic")
    pr = do_create_pull_request(
        owner=alice,
        source_repo=repo,
        source_ref_kind="branch",
        source_ref="topic",
        target_repo=repo,
        target_branch="main",
        title="Topic",
        reviewers=[admin],
    )
    from lindos.vcs import open_repository

    raw_id = open_repository(repo.path).get_changeset("main").id
    return {"{repo}": "project", "{user}": "alice", "{pr}": pr.pk, "{raw_id}": raw_id}


def test_api_rst_examples_give_results_of_kallithea_s_shape(api, admin, world):
    for method, example, fields in EXAMPLES:
        args = {k: world.get(v, v) if isinstance(v, str) else v for k, v in example.items()}
        result = api.ok(admin.api_key, method, **args)
        if fields is None:
            assert result is True, method
            continue
        rows = result if isinstance(result, list) else [result]
        assert rows, method
        for row in rows:
            assert fields <= set(row), (method, fields - set(row))
