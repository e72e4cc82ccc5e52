"""The management pages as a user sees them: create, settings, rename,
permissions, delete, fork and the forks list."""

import os
import subprocess

import pytest

from lindos.repos.actions import do_set_permission
from lindos.repos.models import JournalEntry, Repository, RepositoryPermission


def commit_into(bare_path, tmp_path, branch="main"):
    """Put one commit on ``branch`` of a bare repository, with the git client."""
    work = tmp_path / f"work-{os.path.basename(bare_path)}"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(tmp_path),
    }
    subprocess.run(["git", "init", "-q", "-b", branch, str(work)], check=True, env=env)
    (work / "f.txt").write_text("hello\n")
    subprocess.run(["git", "add", "f.txt"], cwd=work, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "one"], cwd=work, check=True, env=env)
    subprocess.run(["git", "push", "-q", str(bare_path), branch], cwd=work, check=True, env=env)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True
    ).stdout.strip()


def test_create_needs_login(client, db, repo_root):
    response = client.get("/_admin/repos/new")
    assert response.status_code == 302 and response["Location"].startswith("/_admin/login")


def test_create_repository(client, make_user, repo_root):
    from lindos.repos.group_actions import do_create_repo_group, do_set_repo_group_permission

    user = make_user("dora")
    client.force_login(user)
    page = client.get("/_admin/repos/new")
    assert b"New repository" in page.content and b'name="owner"' not in page.content
    # Creating inside a group needs write on it (and dora may not create the group)
    data = {"name": "team/site", "kind": "git", "description": "Our site", "private": "on"}
    assert (
        "You may not create the repository group" in client.post("/_admin/repos/new", data).content.decode()
    )
    team = do_create_repo_group(name="team", owner=make_user(admin=True))
    do_set_repo_group_permission(team, user=user, permission="read")
    assert "You need write permission on the group" in client.post("/_admin/repos/new", data).content.decode()
    do_set_repo_group_permission(team, user=user, permission="write")
    response = client.post(
        "/_admin/repos/new", {"name": "team/site", "kind": "git", "description": "Our site", "private": "on"}
    )
    assert response.status_code == 302 and response["Location"] == "/team/site"
    repo = Repository.objects.get(name="team/site")
    assert (repo.owner, repo.private, repo.default_permission) == (user, True, "none")
    assert (repo_root / "team" / "site" / "HEAD").is_file()
    assert JournalEntry.objects.filter(repository=repo, action="create").exists()


@pytest.mark.parametrize(
    "name, message",
    [
        ("../escape", "is not allowed"),
        ("_private", "may not start with"),
        ("a/changelog", "is a word Lindos uses"),
        ("taken", "already exists"),
        ("taken/inner", "inside another repository"),
    ],
)
def test_create_shows_name_problems(client, make_user, make_repo, name, message):
    make_repo("taken")
    client.force_login(make_user())
    response = client.post("/_admin/repos/new", {"name": name, "kind": "git"})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_admin_chooses_owner(client, make_user, repo_root):
    make_user("erin")
    client.force_login(make_user(admin=True))
    response = client.post("/_admin/repos/new", {"name": "for-erin", "kind": "git", "owner": "erin"})
    assert response.status_code == 302
    assert Repository.objects.get(name="for-erin").owner.username == "erin"


def test_settings_page_access(client, make_repo, make_user):
    owner = make_user()
    repo = make_repo("proj", owner=owner)
    assert client.get("/proj/settings").status_code == 302  # anonymous: log in first
    client.force_login(make_user())
    assert client.get("/proj/settings").status_code == 403  # a reader may not
    client.force_login(owner)
    page = client.get("/proj/settings").content.decode()
    for tab in ("Summary", "Changelog", "Files", "Pull requests", "Settings"):
        assert f">{tab}</a>" in page
    assert 'class="active">Settings' in page
    repo.private = True
    repo.save()
    client.force_login(make_user())
    assert client.get("/proj/settings").status_code == 404  # private: no hint it exists


def test_settings_tab_only_for_admins(client, make_repo, make_user):
    make_repo("proj")
    client.force_login(make_user())
    page = client.get("/proj/forks").content.decode()
    assert ">Summary</a>" in page and ">Settings</a>" not in page


def test_rename_moves_the_directory(client, make_repo, repo_root):
    from lindos.repos.group_actions import do_create_repo_group

    repo = make_repo("old-name")
    do_create_repo_group(name="group", owner=repo.owner)
    client.force_login(repo.owner)
    response = client.post(
        "/old-name/settings", {"name": "group/new-name", "description": "d", "landing_rev": ""}
    )
    assert response.status_code == 302 and response["Location"] == "/group/new-name/settings"
    assert not (repo_root / "old-name").exists()
    assert (repo_root / "group" / "new-name" / "HEAD").is_file()
    assert Repository.objects.get(pk=repo.pk).name == "group/new-name"


def test_rename_into_itself_or_another_repository_is_refused(client, make_repo):
    repo = make_repo("outer")
    make_repo("other")
    client.force_login(repo.owner)
    for name, message in [
        ("outer/inner", "cannot be moved inside itself"),
        ("OTHER/x", "cannot be placed inside another repository"),
        ("Other", "already exists"),
    ]:
        response = client.post("/outer/settings", {"name": name, "landing_rev": ""})
        assert message in response.content.decode()
    assert Repository.objects.get(pk=repo.pk).name == "outer"


def test_going_private_resets_default_permission(client, make_repo):
    repo = make_repo("p")
    assert repo.default_permission == "read"
    client.force_login(repo.owner)
    client.post("/p/settings", {"name": "p", "private": "on", "landing_rev": ""})
    repo.refresh_from_db()
    assert (repo.private, repo.default_permission) == (True, "none")
    client.post("/p/settings", {"name": "p", "landing_rev": ""})
    repo.refresh_from_db()
    assert (repo.private, repo.default_permission) == (False, "read")


def test_permissions_page(client, make_repo, make_user):
    repo = make_repo("perm")
    frank = make_user("frank")
    client.force_login(repo.owner)
    response = client.post(
        "/perm/settings/permissions", {"action": "grant", "username": "Frank", "permission": "write"}
    )
    assert response.status_code == 302
    assert RepositoryPermission.objects.get(repository=repo, user=frank).permission == "write"
    page = client.get("/perm/settings/permissions").content.decode()
    assert "frank" in page and "Write" in page
    response = client.post(
        "/perm/settings/permissions", {"action": "grant", "username": "nobody", "permission": "read"}
    )
    assert "There is no user &#x27;nobody&#x27;." in response.content.decode()
    client.post("/perm/settings/permissions", {"action": "default", "default_permission": "none"})
    repo.refresh_from_db()
    assert repo.default_permission == "none"
    grant = RepositoryPermission.objects.get(repository=repo, user=frank)
    client.post("/perm/settings/permissions", {"action": "revoke", "grant": grant.pk})
    assert not RepositoryPermission.objects.filter(repository=repo).exists()


def test_delete(client, make_repo, repo_root):
    repo = make_repo("group/doomed")
    client.force_login(repo.owner)
    response = client.post("/group/doomed/settings/delete", {"confirm": "wrong"})
    assert response.status_code == 400 and (repo_root / "group" / "doomed").is_dir()
    response = client.post("/group/doomed/settings/delete", {"confirm": "group/doomed"})
    assert response.status_code == 302
    assert not Repository.objects.filter(name="group/doomed").exists()
    assert not (repo_root / "group").exists()  # the empty group folder goes too
    assert repo_root.is_dir()


def test_fork_and_forks_list(client, make_repo, make_user, tmp_path):
    source = make_repo("upstream")
    head = commit_into(source.path, tmp_path)
    gina = make_user("gina")
    client.force_login(gina)
    page = client.get("/upstream/fork").content.decode()
    assert 'value="gina/upstream"' in page
    response = client.post("/upstream/fork", {"name": "gina/upstream", "description": "mine"})
    assert response.status_code == 302 and response["Location"] == "/gina/upstream"
    fork = Repository.objects.get(name="gina/upstream")
    assert (fork.owner, fork.fork_of, fork.kind) == (gina, source, "git")
    out = subprocess.run(
        ["git", "--git-dir", fork.path, "rev-parse", "refs/heads/main"], capture_output=True, text=True
    ).stdout.strip()
    assert out == head
    # a private fork is listed only for those who may read it
    secret = make_user("hank")
    client.force_login(secret)
    client.post("/upstream/fork", {"name": "hank/upstream", "private": "on"})
    assert Repository.objects.get(name="hank/upstream").private
    page = client.get("/upstream/forks").content.decode()
    assert "gina/upstream" in page and "hank/upstream" in page
    client.force_login(make_user())
    page = client.get("/upstream/forks").content.decode()
    assert "gina/upstream" in page and "hank/upstream" not in page
    assert "forked from" in client.get("/gina/upstream/forks").content.decode()


def test_file_named_like_a_manage_page_is_not_one(client, make_repo):
    make_repo("proj")
    from django.urls import resolve

    assert resolve("/proj/files/main/settings").func.__module__ != "lindos.repos.views"
    assert resolve("/proj/files/main/info/refs").func.__module__ != "lindos.transport.git_http"
    assert resolve("/proj/settings").func.__module__ == "lindos.repos.views"


def test_home_lists_visible_repositories(client, make_repo, make_user):
    make_repo("public-one", description="Open to all")
    make_repo("secret-one", private=True)
    page = client.get("/").content.decode()
    assert "public-one" in page and "Open to all" in page and "secret-one" not in page


def test_repository_folder_symlinked_outside_is_not_touched(client, make_repo, repo_root, tmp_path):
    repo = make_repo("linked")
    outside = tmp_path / "outside-repo"
    os.rename(repo_root / "linked", outside)
    (repo_root / "linked").symlink_to(outside)
    client.force_login(repo.owner)
    response = client.post("/linked/fork", {"name": "copy"})
    assert response.status_code == 200 and "outside" in response.content.decode()
    response = client.post("/linked/settings/delete", {"confirm": "linked"})
    assert response.status_code == 302
    assert (outside / "HEAD").is_file()  # the files outside the root are left alone


def test_reader_cannot_publish_a_private_repository_through_fork_pages(
    client, make_repo, make_user, tmp_path
):
    """A private fork stays private, as a user with read access would try it."""
    source = make_repo("hidden", private=True)
    commit_into(source.path, tmp_path)
    reader = make_user("rick")
    do_set_permission(source, reader, "read")
    client.force_login(reader)
    page = client.get("/hidden/fork").content.decode()
    assert 'name="private"' in page and "checked" in page
    response = client.post("/hidden/fork", {"name": "rick/hidden"})  # box unticked
    assert response.status_code == 200 and "must be private" in response.content.decode()
    assert not Repository.objects.filter(name="rick/hidden").exists()
    response = client.post("/hidden/fork", {"name": "rick/hidden", "private": "on"})
    assert response.status_code == 302
    fork = Repository.objects.get(name="rick/hidden")
    assert fork.private
    # the fork's owner may edit it, but not make it public
    response = client.post("/rick/hidden/settings", {"name": "rick/hidden", "description": "x"})
    assert response.status_code == 200 and "must be private" in response.content.decode()
    fork.refresh_from_db()
    assert fork.private
    anonymous = type(client)()
    assert anonymous.get("/rick/hidden/summary").status_code == 404
    response = client.post(
        "/rick/hidden/settings", {"name": "rick/hidden", "description": "x", "private": "on"}
    )
    assert response.status_code == 302


# --- private names do not leak (hardening issue, item 7) ---------------------


def _errors(response) -> str:
    import re
    from html import unescape

    lists = re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", m)).strip() for m in lists)


@pytest.fixture
def hidden(make_repo, make_user):
    """A private repository 'secret' and one inside group 'vault'."""
    owner = make_user("owner")
    make_repo("secret", owner=owner, private=True)
    make_repo("vault/inner", owner=owner, private=True)
    return owner


@pytest.mark.parametrize("name", ["secret", "SECRET", "secret/sub", "vault", "leftover"])
def test_names_of_private_repositories_are_refused_without_saying_why(
    client, make_user, make_repo, hidden, repo_root, tmp_path, name
):
    """Create, fork and rename refuse a name a hidden repository holds with
    the same words as a name taken by a stray folder on disk: nothing says a
    repository exists there."""
    (repo_root / "leftover").mkdir()
    (repo_root / "leftover" / "junk").write_text("x")
    stranger = make_user("stranger")
    public = make_repo("public-one", owner=stranger)
    commit_into(public.path, tmp_path)
    client.force_login(stranger)
    expected = f"The name '{name}' is not available; please choose another."
    for url, data in [
        ("/_admin/repos/new", {"name": name, "kind": "git"}),
        ("/public-one/fork", {"name": name}),
        ("/public-one/settings", {"name": name, "landing_rev": ""}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert _errors(response) == expected, (url, _errors(response))
        assert "already exists" not in response.content.decode()
    assert sorted(Repository.objects.values_list("name", flat=True)) == [
        "public-one",
        "secret",
        "vault/inner",
    ]


def test_people_who_may_read_the_repository_are_told_what_clashes(client, hidden, make_user):
    reader = make_user("reader")
    do_set_permission(Repository.objects.get(name="secret"), reader, "read")
    client.force_login(reader)
    response = client.post("/_admin/repos/new", {"name": "Secret", "kind": "git"})
    assert _errors(response) == "A repository named 'Secret' already exists."
    client.force_login(hidden)
    response = client.post("/_admin/repos/new", {"name": "vault", "kind": "git"})
    assert _errors(response) == "'vault' is already used as a group of other repositories."


def test_settings_switch_statistics_and_downloads(client, make_repo):
    repo = make_repo("proj")
    assert (repo.enable_statistics, repo.enable_downloads) == (True, True)  # Kallithea's column default
    client.force_login(repo.owner)
    page = client.get("/proj/settings").content.decode()
    assert 'name="enable_statistics"' in page and 'name="enable_downloads"' in page
    assert "Enable statistics" in page and "Enable downloads" in page
    # Unticked boxes are not sent: both go off, as in Kallithea's form.
    response = client.post("/proj/settings", {"name": "proj", "landing_rev": ""})
    assert response.status_code == 302
    repo.refresh_from_db()
    assert (repo.enable_statistics, repo.enable_downloads) == (False, False)
    client.post("/proj/settings", {"name": "proj", "landing_rev": "", "enable_downloads": "on"})
    repo.refresh_from_db()
    assert (repo.enable_statistics, repo.enable_downloads) == (False, True)
    page = client.get("/proj/settings").content.decode()
    assert " checked" in checkbox(page, "enable_downloads")
    assert " checked" not in checkbox(page, "enable_statistics")


def checkbox(page: str, name: str) -> str:
    import re

    [tag] = re.findall(r'<input[^>]*name="%s"[^>]*>' % name, page)
    return tag


def test_only_an_admin_of_the_repository_may_flip_the_switches(client, make_repo, make_user):
    from lindos.repos.actions import do_set_permission

    repo = make_repo("proj")
    writer, reader = make_user(), make_user()
    do_set_permission(repo, writer, "write")
    do_set_permission(repo, reader, "read")
    form = {"name": "proj", "landing_rev": ""}  # would switch both off
    assert client.post("/proj/settings", form).status_code == 302  # anonymous: to the login page
    for user in (reader, writer):
        client.force_login(user)
        assert client.post("/proj/settings", form).status_code == 403
    repo.private = True
    repo.default_permission = "none"
    repo.save()
    client.force_login(make_user())
    assert client.post("/proj/settings", form).status_code == 404  # private: no hint it exists
    repo.refresh_from_db()
    assert (repo.enable_statistics, repo.enable_downloads) == (True, True)


def test_a_forged_settings_post_without_the_csrf_token_changes_nothing(make_repo):
    from django.test import Client

    repo = make_repo("proj")
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(repo.owner)
    response = forger.post("/proj/settings", {"name": "proj", "landing_rev": ""})
    assert response.status_code == 403
    repo.refresh_from_db()
    assert (repo.enable_statistics, repo.enable_downloads) == (True, True)


@pytest.mark.parametrize("value", ["false", "FALSE", "", "off", "<script>", "x" * 10000])
def test_odd_switch_values_are_no_500(client, make_repo, value):
    repo = make_repo("proj")
    client.force_login(repo.owner)
    response = client.post("/proj/settings", {"name": "proj", "landing_rev": "", "enable_statistics": value})
    assert response.status_code in (200, 302)
    repo.refresh_from_db()
    # Django's checkbox: "false" (any case) and "" are off, any other text on.
    assert repo.enable_statistics == (value.lower() not in ("false", ""))


def test_the_permissions_page_writes_the_admin_log_as_the_api_does(client, make_repo, make_user):
    from lindos.accounts.user_groups import do_create_user_group
    from lindos.activity.models import ActionLog

    repo = make_repo("perm")
    make_user("frank")
    do_create_user_group(name="devs", owner=repo.owner)
    client.force_login(repo.owner)
    url = "/perm/settings/permissions"
    client.post(url, {"action": "grant", "username": "nobody", "permission": "read"})  # refused
    client.post(url, {"action": "grant", "username": "frank", "permission": "write"})
    client.post(url, {"action": "grant_group", "user_group": "devs", "permission": "read"})
    client.post(url, {"action": "default", "default_permission": "none"})
    client.post(url, {"action": "revoke", "grant": RepositoryPermission.objects.get(repository=repo).pk})
    client.post(url, {"action": "revoke_group", "grant": repo.user_group_permissions.get().pk})
    client.post(url, {"action": "revoke", "grant": "x"})  # tampered: nothing
    lines = [(a.action, a.repository_name, a.detail) for a in ActionLog.objects.order_by("created_at", "id")]
    assert lines == [
        ("admin_changed_repo_permissions", "perm", "user frank: repository.write"),
        ("admin_changed_repo_permissions", "perm", "user group devs: repository.read"),
        ("admin_changed_repo_permissions", "perm", "everyone: repository.none"),
        ("admin_revoked_repo_permissions", "perm", "user frank"),
        ("admin_revoked_repo_permissions", "perm", "user group devs"),
    ]
    assert set(ActionLog.objects.values_list("username", "address")) == {(repo.owner.username, "127.0.0.1")}
