"""Pull request methods (through the review actions), server methods and
the methods Lindos does not have yet, over HTTP."""

import subprocess

import pytest

from lindos.api.methods.unavailable import UNAVAILABLE_METHODS
from lindos.repos.models import JournalEntry, Repository
from lindos.review.actions import do_create_pull_request
from lindos.review.models import Comment, PullRequest
from tests.api.conftest import push_commits


@pytest.fixture
def pr(git, tmp_path, server_url, alice, bob, make_repo):
    repo = make_repo("proj", owner=alice)
    push_commits(git, tmp_path, server_url, alice, "proj", {"a": "1\n"})
    push_commits(git, tmp_path, server_url, alice, "proj", {"b": "2\n"}, branch="feature")
    return do_create_pull_request(owner=alice, source_repo=repo, source_ref_kind="branch",
                                  source_ref="feature", target_repo=repo, target_branch="main",
                                  title="Add b", reviewers=[bob])


def test_get_pullrequest_shape(api, pr, bob, make_user):
    result = api.ok(bob.api_key, "get_pullrequest", pullrequest_id=pr.pk)
    assert set(result) >= {"status", "pull_request_id", "description", "title", "url", "reviewers",
                           "org_repo_url", "org_ref_parts", "other_ref_parts", "comments", "owner",
                           "statuses", "revisions"}
    assert result["reviewers"] == [{"username": "bob"}]
    assert result["org_ref_parts"][:2] == ["branch", "feature"]
    assert result["other_ref_parts"][:2] == ["branch", "main"]
    assert result["status"] == "not_reviewed" and len(result["revisions"]) == 1
    assert api.error(bob.api_key, "get_pullrequest", pullrequest_id=99999) == \
        "pull request `99999` does not exist"
    assert api.error(bob.api_key, "get_pullrequest", pullrequest_id="x") == \
        "Invalid type for `pullrequest_id` arg in JSON DATA: expected integer"


def test_private_pull_request_does_not_exist_for_strangers(api, pr, make_user):
    Repository.objects.filter(pk=pr.target_repo_id).update(private=True, default_permission="none")
    stranger = make_user("stranger")
    assert api.error(stranger.api_key, "get_pullrequest", pullrequest_id=pr.pk) == \
        f"pull request `{pr.pk}` does not exist"
    assert api.error(stranger.api_key, "comment_pullrequest", pull_request_id=pr.pk,
                     comment_msg="hi") == f"pull request `{pr.pk}` does not exist"


def test_comment_vote_and_close_rules(api, pr, alice, bob, make_user):
    carol = make_user("carol")
    assert api.ok(carol.api_key, "comment_pullrequest", pull_request_id=pr.pk,
                  comment_msg="looks fine") is True
    assert Comment.objects.filter(pull_request=pr, author=carol, text="looks fine").exists()
    assert api.error(carol.api_key, "comment_pullrequest", pull_request_id=pr.pk,
                     status="approved") == ("No permission to change pull request status. "
                                            "User needs to be admin, owner or reviewer.")
    assert api.error(carol.api_key, "comment_pullrequest", pull_request_id=pr.pk, close_pr=True) == \
        "No permission to close pull request. User needs to be admin or owner."
    assert api.ok(bob.api_key, "comment_pullrequest", pull_request_id=pr.pk, status="approved") is True
    assert api.ok(bob.api_key, "get_pullrequest", pullrequest_id=pr.pk)["status"] == "approved"
    assert api.error(bob.api_key, "comment_pullrequest", pull_request_id=pr.pk, status="great") == \
        ("Invalid type for `status` arg in JSON DATA: expected one of "
         "not_reviewed, under_review, approved, rejected")
    assert api.error(bob.api_key, "comment_pullrequest", pull_request_id=pr.pk) == \
        "Please write a comment or choose a status."
    assert api.ok(alice.api_key, "comment_pullrequest", pull_request_id=pr.pk, close_pr=True) is True
    assert PullRequest.objects.get(pk=pr.pk).state == PullRequest.CLOSED
    assert api.error(alice.api_key, "comment_pullrequest", pull_request_id=pr.pk,
                     comment_msg="again") == "pull request is already closed"


def test_edit_reviewers(api, pr, alice, bob, make_user):
    carol = make_user("carol")
    assert api.error(carol.api_key, "edit_reviewers", pull_request_id=pr.pk, add="carol") == \
        ("No permission to edit reviewers of this pull request. "
         "User needs to be admin or pull request owner.")
    assert api.error(alice.api_key, "edit_reviewers", pull_request_id=pr.pk) == \
        "Invalid request. Neither 'add' nor 'remove' is specified."
    assert api.ok(alice.api_key, "edit_reviewers", pull_request_id=pr.pk, add=["carol", "bob"],
                  remove=bob.pk) == {"added": ["carol"], "already_present": ["bob"], "removed": ["bob"]}
    assert sorted(pr.reviewers.values_list("user__username", flat=True)) == ["carol"]
    assert api.error(alice.api_key, "edit_reviewers", pull_request_id=pr.pk, add="nobody") == \
        "user `nobody` does not exist"


def test_server_methods(api, admin, alice, make_repo, repo_root):
    assert api.error(alice.api_key, "test", args=1) == "no permission to call `test`: it needs admin rights"
    ip = api.ok(admin.api_key, "get_ip")
    assert ip == {"server_ip_addr": "127.0.0.1", "user_ips": []}
    assert api.ok(admin.api_key, "show_ip", userid="alice") == ip
    info = api.ok(admin.api_key, "get_server_info")
    assert set(info) >= {"modules", "py_version", "platform", "kallithea_version"}
    assert api.error(alice.api_key, "get_server_info").startswith("no permission")
    # A repository put on disk by hand is found; a row whose folder is gone is removed.
    subprocess.run(["git", "init", "-q", "--bare", str(repo_root / "ondisk")], check=True)
    gone = make_repo("gone", owner=alice)
    import shutil

    shutil.rmtree(gone.path)
    assert api.ok(admin.api_key, "rescan_repos", remove_obsolete=True) == {
        "added": ["ondisk"], "removed": ["gone"]}
    assert Repository.objects.get(name="ondisk").owner == admin


@pytest.fixture
def dumb_http_remote(tmp_path, git):
    """A git repository with one commit served over git's dumb HTTP
    protocol by a plain HTTP server of its own."""
    import functools
    import http.server
    import threading

    work = tmp_path / "remote-work"
    git("init", "-q", "-b", "main", str(work))
    (work / "x").write_text("1\n")
    git("add", "x", cwd=work)
    git("commit", "-q", "-m", "x", cwd=work)
    served = tmp_path / "served"
    served.mkdir()
    git("clone", "-q", "--bare", str(work), str(served / "remote.git"))
    git("update-server-info", cwd=served / "remote.git")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/remote.git"
    server.shutdown()
    server.server_close()


def test_pull_from_a_url(api, dumb_http_remote, admin, alice, make_repo):
    make_repo("mirror", owner=admin)
    assert api.error(admin.api_key, "pull", repoid="mirror") == "Unable to pull changes from `mirror`"
    assert api.error(admin.api_key, "pull", repoid="mirror", clone_uri="file:///etc") == \
        "Unable to pull changes from `mirror`"
    assert api.error(alice.api_key, "pull", repoid="mirror").startswith("no permission")
    assert api.ok(admin.api_key, "pull", repoid="mirror", clone_uri=dumb_http_remote) == \
        {"msg": "Pulled from `mirror`", "repository": "mirror"}
    entry = JournalEntry.objects.filter(repository__name="mirror", action="push").get()
    assert entry.ref_changes[0]["ref"] == "refs/heads/main"
    assert len(api.ok(admin.api_key, "get_changesets", repoid="mirror")) == 1


@pytest.mark.parametrize("method", UNAVAILABLE_METHODS)
def test_methods_lindos_lacks_say_not_available(api, admin, method):
    from lindos.api.jsonrpc import REGISTRY

    args = {p.name: (["x"] if p.name == "files" else "x") for p in REGISTRY[method].params
            if p.required}
    if method == "create_gist":
        args["files"] = {"a": {"content": "b"}}
    error = api.error(admin.api_key, method, **args)
    assert error.startswith(f"method `{method}` is not available: Lindos has no ")


def test_not_available_still_checks_arguments_first(api, admin, alice):
    assert api.error(admin.api_key, "get_user_group") == \
        "Missing non optional `usergroupid` arg in JSON DATA"
    assert api.error(alice.api_key, "get_repo_groups").startswith("no permission")
