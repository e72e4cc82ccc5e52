"""Importing the SQLite database Kallithea 0.7.0 made: what comes across."""

import datetime
import hashlib
import sqlite3

import pytest

from lindos.accounts.models import (
    GlobalPermissionGrant,
    User,
    UserApiKey,
    UserGroup,
    UserGroupPermission,
    UserGroupUserGroupPermission,
)
from lindos.activity.models import UserFollowing
from lindos.appsettings.models import AppSettings
from lindos.externalauth.models import AuthSettings, ExternalIdentity
from lindos.kallithea_import.runner import ImportRefused, do_import, render_summary
from lindos.repos.models import (
    JournalEntry,
    RepoGroup,
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    Repository,
    RepositoryPermission,
    RepositoryUserGroupPermission,
)
from lindos.review.models import ChangesetStatus, Comment, PullRequest, PullRequestReviewer
from lindos.ssh.models import SshKey


def test_every_account_comes_across_with_its_flags_and_names(imported, kallithea_rows):
    rows = kallithea_rows("SELECT * FROM users WHERE username != 'default'")
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(r["username"] for r in rows)
    for row in rows:
        user = User.objects.get(username=row["username"])
        assert (user.first_name, user.last_name, user.email) == (
            row["firstname"],
            row["lastname"],
            row["email"],
        )
        assert user.is_active == bool(row["active"])
        assert user.is_superuser == bool(row["admin"])
        assert user.api_key == row["api_key"]
        assert user.password == "kallithea_bcrypt$" + row["password"]
    erin = User.objects.get(username="erin")
    assert erin.first_name == "Érin" and erin.last_name == "Ünïcode <b>"
    assert not User.objects.get(username="carol").is_active
    assert User.objects.get(username="dave").is_superuser
    assert not User.objects.filter(username="default").exists()


def test_creation_times_are_kept(imported, kallithea_rows):
    row = kallithea_rows("SELECT created_on FROM users WHERE username = 'alice'")[0]
    created = row["created_on"]  # text from SQLite, a naive datetime from PostgreSQL
    if isinstance(created, str):
        created = datetime.datetime.fromisoformat(created)
    local = created.astimezone()
    assert User.objects.get(username="alice").date_joined == local


def test_passwords_check_as_they_were_and_are_rehashed_at_login(imported, kallithea_manifest):
    for username, password in kallithea_manifest["passwords"].items():
        user = User.objects.get(username=username)
        assert user.check_password(password), username
        assert not user.password.startswith("kallithea_")  # upgraded by check_password
        assert User.objects.get(pk=user.pk).check_password(password)
    assert not User.objects.get(username="bob").check_password("alice-pass-1")


def test_extra_api_keys_keep_description_and_expiry(imported, kallithea_rows):
    keys = {k.description: k for k in UserApiKey.objects.all()}
    assert set(keys) == {"CI bot", "expires soon", "expired"}
    rows = {r["description"]: r for r in kallithea_rows("SELECT * FROM user_api_keys")}
    assert keys["CI bot"].expires is None and keys["CI bot"].user.username == "alice"
    assert keys["CI bot"].api_key == rows["CI bot"]["api_key"]
    assert keys["expires soon"].expires.timestamp() == pytest.approx(
        rows["expires soon"]["expires"], abs=1e-3
    )
    assert keys["expired"].is_expired() and keys["expired"].user.username == "bob"


def test_ssh_keys_come_across_with_their_fingerprints(imported, kallithea_rows):
    rows = kallithea_rows("SELECT * FROM user_ssh_keys ORDER BY user_ssh_key_id")
    keys = list(SshKey.objects.order_by("pk"))
    assert [(k.user.username, k.description) for k in keys] == [
        ("alice", "alice's laptop"),
        ("bob", "bob's laptop"),
    ]
    assert [k.fingerprint for k in keys] == [r["fingerprint"] for r in rows]
    assert all(r["public_key"].startswith(k.public_key) for k, r in zip(keys, rows))


def test_repositories_keep_names_types_owners_and_settings(imported):
    repos = {r.name: r for r in Repository.objects.all()}
    assert set(repos) == {"gitrepo", "gitrepo-fork", "projects/hgrepo", "projects/web/site", "empty-hg"}
    git, hg, site = repos["gitrepo"], repos["projects/hgrepo"], repos["projects/web/site"]
    assert (git.kind, git.owner.username, git.description, git.private) == (
        "git",
        "alice",
        "Alice's git repository",
        False,
    )
    assert (hg.kind, hg.owner.username, hg.private) == ("hg", "bob", True)
    assert site.landing_rev == "master" and git.landing_rev == ""
    assert repos["gitrepo-fork"].fork_of == git
    # Kallithea's default user had "none" on the site: everyone's permission.
    assert site.default_permission == "none" and git.default_permission == "read"


def test_statistics_and_downloads_switches_come_across(imported, kallithea_rows):
    rows = kallithea_rows("SELECT repo_name, statistics, downloads FROM repositories")
    kallithea = {r["repo_name"]: (bool(r["statistics"]), bool(r["downloads"])) for r in rows}
    lindos = {r.name: (r.enable_statistics, r.enable_downloads) for r in Repository.objects.all()}
    assert lindos == kallithea
    # Kallithea 0.7 created repositories with its "repository defaults",
    # both switches off on a fresh install: the fixtures hold that.
    assert set(lindos.values()) == {(False, False)}


def test_switched_on_statistics_and_downloads_stay_on(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(
        sqlite_fixture,
        "UPDATE repositories SET statistics = 1 WHERE repo_name = 'gitrepo'",
        "UPDATE repositories SET downloads = 1 WHERE repo_name = 'projects/hgrepo'",
    )
    do_import(sqlite_ini, repos=str(repo_root))
    switches = {r.name: (r.enable_statistics, r.enable_downloads) for r in Repository.objects.all()}
    assert switches["gitrepo"] == (True, False)
    assert switches["projects/hgrepo"] == (False, True)
    assert switches["gitrepo-fork"] == (False, False)


def test_kallithea_git_hooks_are_moved_aside(imported, repo_root):
    assert not (repo_root / "gitrepo" / "hooks" / "post-receive").exists()
    assert (repo_root / "gitrepo" / "hooks" / "post-receive.kallithea").exists()


def test_user_permissions_on_repositories(imported):
    perms = {
        (p.repository.name, p.user.username): p.permission
        for p in RepositoryPermission.objects.select_related("repository", "user")
    }
    assert perms[("gitrepo", "bob")] == "write"
    assert perms[("gitrepo", "carol")] == "none"
    assert perms[("projects/hgrepo", "alice")] == "read"
    assert perms[("projects/hgrepo", "erin")] == "admin"


def test_pull_requests_keep_their_numbers_refs_reviewers_and_state(imported, kallithea_manifest):
    numbers = kallithea_manifest["pull_requests"]
    revs = kallithea_manifest["revisions"]
    assert sorted(PullRequest.objects.values_list("pk", flat=True)) == sorted(
        [numbers["git"], numbers["hg"], numbers["fork"]]
    )
    git = PullRequest.objects.get(pk=numbers["git"])
    assert (git.title, git.description) == (
        "Add the feature",
        "It adds the **feature**.\n\nSecond paragraph.",
    )
    assert (git.source_repo.name, git.source_ref_kind, git.source_ref, git.target_branch) == (
        "gitrepo",
        "branch",
        "feature",
        "master",
    )
    assert git.is_open and git.owner.username == "alice"
    assert sorted(r.user.username for r in git.reviewers.all()) == ["bob", "dave"]
    iteration = git.latest_iteration()
    assert (iteration.source_rev, iteration.revisions) == (revs["git_feature"], [revs["git_feature"]])
    assert iteration.base_rev == revs["git_master"]
    hg = PullRequest.objects.get(pk=numbers["hg"])
    assert not hg.is_open and hg.target_repo.name == "projects/hgrepo" and hg.target_branch == "default"
    fork = PullRequest.objects.get(pk=numbers["fork"])
    assert (fork.source_repo.name, fork.target_repo.name, fork.source_ref) == (
        "gitrepo-fork",
        "gitrepo",
        "fix",
    )
    # A new pull request gets a number after the kept ones (not 1, which was
    # Kallithea's deleted pull request).
    new = PullRequest.objects.create(
        title="new",
        owner=git.owner,
        source_repo=git.source_repo,
        source_ref="feature",
        target_repo=git.target_repo,
        target_branch="master",
    )
    assert new.pk > max(numbers.values())


def test_every_comment_keeps_its_id_author_place_and_text(imported, kallithea_rows, kallithea_manifest):
    rows = kallithea_rows("SELECT c.*, u.username FROM changeset_comments c JOIN users u USING (user_id)")
    assert sorted(Comment.objects.values_list("pk", flat=True)) == sorted(r["comment_id"] for r in rows)
    assert kallithea_manifest["comments"]["deleted"] not in {r["comment_id"] for r in rows}
    for row in rows:
        c = Comment.objects.get(pk=row["comment_id"])
        assert (c.author.username, c.text, c.pull_request_id) == (
            row["username"],
            row["text"],
            row["pull_request_id"],
        )
        assert c.path == (row["f_path"] or "")
        if row["revision"]:
            assert c.revision == row["revision"]
    inline = Comment.objects.get(pk=kallithea_manifest["comments"]["inline"])
    assert (inline.path, inline.line, inline.side, inline.revision) == (
        "README",
        1,
        "new",
        kallithea_manifest["revisions"]["git_master"],
    )
    old_side = Comment.objects.get(pk=kallithea_manifest["comments"]["old_side"])
    assert (old_side.path, old_side.line, old_side.side) == ("src/app.py", 1, "old")
    on_pr = Comment.objects.get(text="Inline on the feature.")
    assert (on_pr.path, on_pr.line, on_pr.side, on_pr.repository.name) == ("src/app.py", 2, "new", "gitrepo")
    assert on_pr.revision == kallithea_manifest["revisions"]["git_feature"]


def test_statuses_and_their_history(imported, kallithea_rows, kallithea_manifest):
    rows = kallithea_rows("SELECT * FROM changeset_statuses")
    assert ChangesetStatus.objects.count() == len(rows)
    from lindos.review.statuses import pull_request_votes, statuses_for

    pr = PullRequest.objects.get(pk=kallithea_manifest["pull_requests"]["git"])
    bob_votes = list(pr.statuses.filter(user__username="bob").order_by("created_at", "pk"))
    assert [s.status for s in bob_votes] == ["rejected", "approved"]
    assert bob_votes[-1].comment.text == "Good now."
    # What the pages show: each user's latest vote.
    names = dict(User.objects.values_list("pk", "username"))
    assert {names[u]: s for u, s in pull_request_votes(pr).items()} == {
        "alice": "under_review",
        "bob": "approved",
    }
    votes = statuses_for(
        Repository.objects.get(name="projects/hgrepo"), [kallithea_manifest["revisions"]["hg_default"]]
    )
    assert [(v.username, v.status) for v in next(iter(votes.values()))] == [
        ("alice", "under_review"),
        ("erin", "rejected"),
    ]
    hg_rev = kallithea_manifest["revisions"]["hg_default"]
    latest = ChangesetStatus.objects.filter(revision=hg_rev, pull_request=None).order_by("created_at", "pk")
    assert [(s.user.username, s.status) for s in latest] == [("alice", "under_review"), ("erin", "rejected")]


def test_site_settings(imported):
    from lindos.appsettings.models import AppSettings

    s = AppSettings.objects.get(pk=1)
    assert (s.title, s.registration, s.default_repo_permission) == ("Example Kallithea", "automatic", "read")


def test_journal_pushes_creations_and_forks(imported):
    git = Repository.objects.get(name="gitrepo")
    actions = sorted(JournalEntry.objects.filter(repository=git).values_list("action", flat=True))
    assert actions == ["create", "fork", "push", "push", "push"]
    push = JournalEntry.objects.filter(repository=git, action="push").order_by("created_at").first()
    assert push.user.username == "alice" and push.detail.startswith("2 changesets: ")


def test_the_summary_counts_and_lists_what_was_left(imported):
    summary, run = imported
    assert summary.imported["users"] == 6 and summary.imported["comments"] == 16
    assert summary.imported["pull requests"] == 3 and summary.skipped == []
    text = render_summary(summary, "0.7")
    assert "user groups                       2" in text and "repository groups                 2" in text
    assert "login settings                    1" in text and "LDAP" not in text
    assert summary.imported["user permissions on user groups"] == 2  # the creators' admin; defaults apart
    assert "on user groups:" not in text  # nothing about them left out
    assert "default global permissions: 1 (Lindos has no place for hg.extern_activate.manual)" in text
    assert "extra email addresses: 2" in text
    assert "anonymous access" not in text  # imported: off, as it was
    assert "journal: user_commented_revision: 7" in text
    assert run.summary["imported"]["users"] == 6 and run.finished_at is not None


def test_the_kallithea_database_is_not_written(sqlite_ini, sqlite_fixture, repo_root, transactional_db):
    before = hashlib.sha256(sqlite_fixture.read_bytes()).hexdigest()
    sqlite_fixture.chmod(0o444)  # opened read-only: a write would fail loudly
    do_import(sqlite_ini, repos=str(repo_root))
    assert hashlib.sha256(sqlite_fixture.read_bytes()).hexdigest() == before


def test_a_second_run_with_merge_changes_nothing(imported, kallithea_ini, repo_root):
    def snapshot():
        return [
            sorted(User.objects.values_list("pk", "username", "password", "api_key")),
            sorted(Repository.objects.values_list("pk", "name", "fork_of")),
            sorted(Comment.objects.values_list("pk", "text")),
            sorted(ChangesetStatus.objects.values_list("pk", "status")),
            sorted(PullRequestReviewer.objects.values_list("pk", "user")),
            sorted(JournalEntry.objects.values_list("pk", "action")),
            sorted(UserApiKey.objects.values_list("pk", "api_key")),
            sorted(SshKey.objects.values_list("pk", "fingerprint")),
            sorted(RepositoryPermission.objects.values_list("pk", "permission")),
            sorted(UserGroup.objects.values_list("pk", "name", "active", "owner")),
            sorted(UserGroup.members.through.objects.values_list("pk", "usergroup", "user")),
            sorted(RepoGroup.objects.values_list("pk", "name", "owner", "default_permission")),
            sorted(RepoGroupPermission.objects.values_list("pk", "permission")),
            sorted(RepositoryUserGroupPermission.objects.values_list("pk", "permission")),
            sorted(RepoGroupUserGroupPermission.objects.values_list("pk", "permission")),
            sorted(UserGroupPermission.objects.values_list("pk", "permission")),
            sorted(UserGroupUserGroupPermission.objects.values_list("pk", "permission")),
            sorted(UserGroup.objects.values_list("pk", "default_permission")),
            sorted(GlobalPermissionGrant.objects.values_list("pk", "permission")),
            sorted(ExternalIdentity.objects.values_list("pk", "source")),
            list(AppSettings.objects.values()),
            list(AuthSettings.objects.values()),
            sorted(UserFollowing.objects.values_list("pk", "user", "follows_repository", "follows_user")),
        ]

    before = snapshot()
    summary, _ = do_import(kallithea_ini, merge=True, repos=str(repo_root))
    assert snapshot() == before
    assert sum(summary.imported.values()) == 0
    assert summary.already["users"] == 6 and summary.already["comments"] == 16
    assert summary.already["user groups"] == 2 and summary.already["repository groups"] == 2
    assert summary.already["repository group permissions"] == 2
    assert summary.already["user permissions on user groups"] == 2


def test_a_non_empty_database_is_refused_without_merge(sqlite_ini, repo_root, make_user, transactional_db):
    make_user("someone")
    with pytest.raises(ImportRefused, match=r"not empty \(1 users\).*--merge"):
        do_import(sqlite_ini, repos=str(repo_root))
    assert not Repository.objects.exists()


def test_merge_into_a_lindos_with_its_own_objects(
    sqlite_ini, repo_root, make_user, make_repo, transactional_db
):
    # A Lindos account named like a Kallithea one with another address, and
    # pull request and comment numbers already used.
    from lindos.accounts.registration import do_create_user

    other = do_create_user(username="bob", email="robert@elsewhere.example", password="secret-pw")
    repo = make_repo("mine", owner=other)
    pr = PullRequest.objects.create(
        pk=2,
        title="mine",
        owner=other,
        source_repo=repo,
        source_ref="main",
        target_repo=repo,
        target_branch="main",
    )
    summary, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    skipped = {(kind, row): why for kind, row, why in summary.skipped}
    assert skipped[("users", "bob")] == "a different Lindos account has this username"
    assert User.objects.get(username="bob").pk == other.pk
    # bob's repository and pull request could not come; alice's pull request did, on a new number.
    assert "projects/hgrepo" in {row for kind, row in skipped if kind == "repositories"}
    assert PullRequest.objects.get(pk=2) == pr
    moved = [why for (kind, row), why in skipped.items() if kind == "pull requests" and row == "#2"]
    assert moved and moved[0].startswith("number in use in Lindos: imported as #")
    assert PullRequest.objects.filter(title="Add the feature").exclude(pk=2).exists()


def test_merge_maps_an_account_with_the_same_name_and_address(
    sqlite_ini, repo_root, make_user, transactional_db
):
    alice = make_user("alice")  # alice@example.com, as in Kallithea
    summary, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert summary.already["users"] == 1
    assert Repository.objects.get(name="gitrepo").owner == alice
    assert alice.check_password("secret-pw")  # her Lindos password stays


def test_an_unknown_schema_version_is_refused_in_one_line(
    tmp_path, sqlite_fixture, repo_root, transactional_db
):
    from tests.kallithea_import.fixtures_kallithea import write_ini

    conn = sqlite3.connect(sqlite_fixture)
    conn.execute("UPDATE alembic_version SET version_num = 'abcdef123456'")
    conn.commit()
    conn.close()
    ini = write_ini(tmp_path / "k.ini", f"sqlite:///{sqlite_fixture}")
    with pytest.raises(ImportRefused) as exc:
        do_import(ini, repos=str(repo_root))
    assert str(exc.value) == (
        "unknown Kallithea database schema version abcdef123456: this importer reads Kallithea 0.4 to 0.7"
    )


def test_a_pre_alembic_database_is_refused_naming_its_version(tmp_path, repo_root, transactional_db):
    from tests.kallithea_import.fixtures_kallithea import write_ini

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE db_migrate_version (repository_id TEXT, repository_path TEXT, version INTEGER)"
    )
    conn.execute("INSERT INTO db_migrate_version VALUES ('kallithea_db_migrations', 'x', 31)")
    conn.commit()
    conn.close()
    with pytest.raises(ImportRefused, match=r"^unknown Kallithea database schema version 31 \("):
        do_import(write_ini(tmp_path / "k.ini", f"sqlite:///{db}"), repos=str(repo_root))


def test_a_failure_half_way_leaves_nothing(sqlite_ini, repo_root, transactional_db, monkeypatch):
    from lindos.kallithea_import.steps import comments

    def boom(ctx):
        raise RuntimeError("disk full")

    monkeypatch.setattr(comments, "run", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        do_import(sqlite_ini, repos=str(repo_root))
    assert not User.objects.exists() and not Repository.objects.exists() and not PullRequest.objects.exists()


def test_repositories_elsewhere_are_asked_for(sqlite_ini, repo_root, tmp_path, transactional_db):
    with pytest.raises(
        ImportRefused, match=r"Kallithea kept its repositories in /tmp/kallithea-fixture-.*give --repos DIR"
    ):
        do_import(sqlite_ini)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(
        ImportRefused, match=rf"are in {elsewhere} but Lindos serves base_path = {repo_root}: set"
    ):
        do_import(sqlite_ini, repos=str(elsewhere))
    asked = []
    summary, _ = do_import(sqlite_ini, ask=lambda q: asked.append(q) or "")  # Enter: Lindos's base_path
    assert asked and "Where are they now?" in asked[0]
    assert summary.imported["repositories"] == 5


def test_a_missing_repository_folder_skips_that_repository_and_what_hangs_on_it(
    sqlite_ini, repo_root, transactional_db
):
    import shutil

    shutil.rmtree(repo_root / "gitrepo-fork")
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert (
        "repositories",
        "gitrepo-fork",
        f"no git repository at {repo_root}/gitrepo-fork",
    ) in summary.skipped
    assert any(kind == "pull requests" and "source repository" in why for kind, _, why in summary.skipped)


def alter(db, *statements):
    conn = sqlite3.connect(db)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_odd_rows_are_skipped_with_why_and_the_rest_comes(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(
        sqlite_fixture,
        # No address, an address another account has in other case, and a name
        # Lindos does not allow for repositories (a route word, a hidden folder).
        "UPDATE users SET email = NULL WHERE username = 'carol'",
        "UPDATE users SET email = 'ALICE@example.com' WHERE username = 'erin'",
        "UPDATE repositories SET repo_name = 'files' WHERE repo_name = 'empty-hg'",
        "UPDATE repositories SET repo_state = 'repo_state_pending' WHERE repo_name = 'projects/web/site'",
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    skipped = {(kind, row): why for kind, row, why in summary.skipped}
    assert skipped[("users", "carol")] == "no email address (Lindos needs one)"
    assert skipped[("users", "erin")] == "email address ALICE@example.com belongs to another account"
    assert skipped[("repositories", "files")].startswith("name not allowed in Lindos: ")
    assert (
        skipped[("repositories", "projects/web/site")]
        == "not created in Kallithea (state repo_state_pending)"
    )
    # erin's comment and vote go with her; everything else came.
    assert any(kind == "comments" and "user #7" in why for (kind, _), why in skipped.items())
    assert summary.imported["users"] == 4 and summary.imported["repositories"] == 3
    assert not RepositoryPermission.objects.filter(user__username="erin").exists()


def test_an_old_sha256_password_logs_in_and_is_rehashed(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db, client
):
    digest = hashlib.sha256(b"windows-era-pw").hexdigest()
    alter(sqlite_fixture, f"UPDATE users SET password = '{digest}' WHERE username = 'bob'")
    do_import(sqlite_ini, repos=str(repo_root))
    assert User.objects.get(username="bob").password == "kallithea_sha256$" + digest
    response = client.post("/_admin/login", {"username": "bob", "password": "windows-era-pw"})
    assert response.status_code == 302
    assert User.objects.get(username="bob").password.startswith("md5$")  # the suite's default hasher


def test_a_password_in_no_kallithea_form_cannot_log_in(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(sqlite_fixture, "UPDATE users SET password = 'plain-text' WHERE username = 'bob'")
    do_import(sqlite_ini, repos=str(repo_root))
    bob = User.objects.get(username="bob")
    assert not bob.has_usable_password() and not bob.check_password("plain-text")


def test_a_kallithea_api_key_in_use_in_lindos_is_replaced_and_listed(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(
        sqlite_fixture,
        "UPDATE users SET api_key = (SELECT api_key FROM user_api_keys WHERE description = 'CI bot') WHERE username = 'bob'",
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    # The extra key comes later in the import: the main key of bob came first.
    assert ("API keys", "'CI bot' of user #3", "the key is already in use in Lindos") in summary.skipped


def test_a_kallithea_0_4_database_without_ssh_keys(sqlite_ini, sqlite_fixture, repo_root, transactional_db):
    # Kallithea 0.4's last revision; SSH keys came with 0.5 (b74907136bc1).
    alter(
        sqlite_fixture, "DROP TABLE user_ssh_keys", "UPDATE alembic_version SET version_num = 'ad357ccd9521'"
    )
    summary, run = do_import(sqlite_ini, repos=str(repo_root))
    assert run.summary["kallithea"] == "0.4" and run.schema_version == "ad357ccd9521"
    assert summary.imported["users"] == 6 and summary.imported["SSH keys"] == 0
    assert not SshKey.objects.exists()


def test_accounts_of_a_login_plugin_come_and_are_named(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db
):
    alter(
        sqlite_fixture,
        "UPDATE users SET extern_type = 'pam', extern_name = 'bob' WHERE username = 'bob'",
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert User.objects.filter(username="bob").exists()
    (line,) = [n for n in summary.not_imported if n[0] == "accounts of other login plugins"]
    assert line[1] == 1 and "lindos set-password" in line[2]
