"""After the import, people use Lindos as they used Kallithea: the same
passwords and API keys on the web, the API, git and hg, and the same links
to pull requests and comments."""

import json
import re
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from lindos.accounts.models import User
from lindos.repos.models import JournalEntry


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
def engine(request):
    """SQLite and PostgreSQL here; the MySQL fixture's content is checked by
    test_runner.py, which is what differs between engines."""
    return request.param


def url_for(server_url, name, user=None, secret=None):
    host = server_url.split("//", 1)[1]
    auth = f"{quote(user)}:{quote(secret)}@" if user else ""
    return f"http://{auth}{host}/{name}"


def api(server_url, key, method, **args):
    body = json.dumps({"id": 1, "api_key": key, "method": method, "args": args}).encode()
    req = urllib.request.Request(
        server_url + "/_admin/api", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_web_login_with_the_kallithea_password_upgrades_the_hash(imported, client, kallithea_manifest):
    for username in ("alice", "erin", "admin"):
        response = client.post(
            "/_admin/login", {"username": username, "password": kallithea_manifest["passwords"][username]}
        )
        assert response.status_code == 302, username
        assert int(client.session["_auth_user_id"]) == User.objects.get(username=username).pk
        assert not User.objects.get(username=username).password.startswith("kallithea_")
        client.logout()
    wrong = client.post("/_admin/login", {"username": "bob", "password": "alice-pass-1"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    inactive = client.post(
        "/_admin/login", {"username": "carol", "password": kallithea_manifest["passwords"]["carol"]}
    )
    assert "_auth_user_id" not in client.session and inactive.status_code == 200


def test_the_api_takes_the_main_and_the_extra_kallithea_keys(imported, server_url, kallithea_rows):
    main = kallithea_rows("SELECT api_key FROM users WHERE username = 'alice'")[0]["api_key"]
    keys = {r["description"]: r["api_key"] for r in kallithea_rows("SELECT * FROM user_api_keys")}
    for key in (main, keys["CI bot"], keys["expires soon"]):
        answer = api(server_url, key, "get_user")
        assert answer["error"] is None and answer["result"]["username"] == "alice"
    expired = api(server_url, keys["expired"], "get_user")
    assert expired["result"] is None and expired["error"]


def test_git_clone_and_push_with_old_passwords_and_keys(
    imported, server_url, git, tmp_path, kallithea_manifest, kallithea_rows
):
    revs = kallithea_manifest["revisions"]
    pw = kallithea_manifest["passwords"]
    work = tmp_path / "alice"
    git("clone", "-q", url_for(server_url, "gitrepo", "alice", pw["alice"]), str(work))
    assert git("rev-parse", "HEAD", cwd=work).stdout.strip() == revs["git_master"]
    key = kallithea_rows("SELECT api_key FROM users WHERE username = 'bob'")[0]["api_key"]
    bob = tmp_path / "bob"
    git("clone", "-q", url_for(server_url, "gitrepo", "bob", key), str(bob))
    (bob / "NEW").write_text("after the move\n")
    git("add", "NEW", cwd=bob)
    git("commit", "-q", "-m", "First change on Lindos", cwd=bob)
    push = git("push", url_for(server_url, "gitrepo", "bob", pw["bob"]), "HEAD:master", cwd=bob)
    assert "kallithea" not in push.stderr.lower()  # Kallithea's hook no longer runs
    assert JournalEntry.objects.filter(
        repository__name="gitrepo", action="push", user__username="bob"
    ).exists()
    # carol is inactive, and had "none" on gitrepo anyway.
    refused = git(
        "push", url_for(server_url, "gitrepo", "carol", pw["carol"]), "HEAD:master", cwd=bob, check=False
    )
    assert refused.returncode != 0


def test_hg_clone_of_the_private_repository_with_permissions_as_they_were(
    imported, server_url, hg, tmp_path, kallithea_manifest
):
    pw = kallithea_manifest["passwords"]
    hg("clone", url_for(server_url, "projects/hgrepo", "alice", pw["alice"]), str(tmp_path / "alice"))
    tip = hg("log", "-R", str(tmp_path / "alice"), "-r", "default", "-T", "{node}").stdout
    assert tip == kallithea_manifest["revisions"]["hg_default"]
    anonymous = hg("clone", url_for(server_url, "projects/hgrepo"), str(tmp_path / "anon"), check=False)
    assert anonymous.returncode != 0
    dave = hg(
        "clone",
        url_for(server_url, "projects/hgrepo", "dave", pw["dave"]),
        str(tmp_path / "dave"),
        check=False,
    )
    assert dave.returncode == 0  # an admin


def test_old_pull_request_urls_open_with_their_comments(imported, client, kallithea_manifest):
    client.post("/_admin/login", {"username": "alice", "password": kallithea_manifest["passwords"]["alice"]})
    n = kallithea_manifest["pull_requests"]["git"]
    for path in (
        f"/gitrepo/pull-request/{n}/_/feature",
        f"/gitrepo/pull-request/{n}",
        f"/gitrepo/pull-request/{n}/add-the-feature",
    ):
        page = client.get(path, follow=True)
        assert page.status_code == 200, path
        text = page.content.decode()
        assert "Add the feature" in text
        for comment_id in kallithea_manifest["comments"]["pr"][:4]:
            assert f'id="comment-{comment_id}"' in text
    hg_pr = client.get(
        f"/projects/hgrepo/pull-request/{kallithea_manifest['pull_requests']['hg']}", follow=True
    )
    assert hg_pr.status_code == 200 and "Merged by hand, closing." in hg_pr.content.decode()
    deleted = client.get(f"/gitrepo/pull-request/{kallithea_manifest['pull_requests']['deleted']}")
    assert deleted.status_code == 404


def test_old_comment_links_find_their_comment(imported, client, kallithea_manifest):
    rev = kallithea_manifest["revisions"]["git_master"]
    # Kallithea's anonymous access was off (its default user inactive): so is Lindos's.
    assert client.get(f"/gitrepo/changeset/{rev}")["Location"].startswith("/_admin/login")
    client.post("/_admin/login", {"username": "erin", "password": kallithea_manifest["passwords"]["erin"]})
    page = client.get(f"/gitrepo/changeset/{rev}").content.decode()
    for key in ("general", "inline", "markup"):
        assert f'id="comment-{kallithea_manifest["comments"][key]}"' in page
    assert "<script>alert(1)</script>" not in page  # the text is still escaped
    assert re.search(r"Looks good to me\.", page)


def test_the_private_repository_and_its_pull_request_stay_hidden(
    imported, client, kallithea_manifest, make_user
):
    n = kallithea_manifest["pull_requests"]["hg"]
    # Anonymous access is off: every page asks for a login, so none tells
    # whether the private repository exists.
    for path in (f"/projects/hgrepo/pull-request/{n}", "/projects/hgrepo", "/projects/no-such-repo"):
        assert client.get(path)["Location"].startswith("/_admin/login"), path
    client.post("/_admin/login", {"username": "carol", "password": kallithea_manifest["passwords"]["carol"]})
    assert client.get("/projects/hgrepo").status_code == 302  # inactive: still anonymous
    client.force_login(make_user("newcomer"))  # signed in, no grant
    assert client.get(f"/projects/hgrepo/pull-request/{n}").status_code == 404
    assert client.get("/projects/hgrepo").status_code == 404


@pytest.mark.parametrize("path", ["/_admin/users", "/_admin/settings", "/_admin/my_account"])
def test_admin_pages_open_for_the_kallithea_admin(imported, client, kallithea_manifest, path):
    client.post("/_admin/login", {"username": "admin", "password": kallithea_manifest["passwords"]["admin"]})
    assert client.get(path, follow=True).status_code == 200


def test_git_over_http_follows_the_imported_groups_and_anonymous_access(
    imported, server_url, git, tmp_path, kallithea_manifest
):
    pw = kallithea_manifest["passwords"]
    # projects/web/site: the default user had none on it, the user group
    # "developers" (alice, bob) write: alice clones and pushes, erin cannot clone.
    alice = tmp_path / "alice"
    git("clone", "-q", url_for(server_url, "projects/web/site", "alice", pw["alice"]), str(alice))
    (alice / "GROUP").write_text("written through a group's grant\n")
    git("add", "GROUP", cwd=alice)
    git("commit", "-q", "-m", "Through the group", cwd=alice)
    git(
        "push", "-q", url_for(server_url, "projects/web/site", "alice", pw["alice"]), "HEAD:master", cwd=alice
    )
    erin = git(
        "clone",
        url_for(server_url, "projects/web/site", "erin", pw["erin"]),
        str(tmp_path / "erin"),
        check=False,
    )
    assert erin.returncode != 0
    # gitrepo is public with read for everyone, but anonymous access was off.
    anonymous = git("clone", url_for(server_url, "gitrepo"), str(tmp_path / "anon"), check=False)
    assert anonymous.returncode != 0
    git("clone", "-q", url_for(server_url, "gitrepo", "erin", pw["erin"]), str(tmp_path / "erin-git"))
