from lindos.activity.models import UserFollowing
from lindos.kallithea_import.runner import do_import
from tests.kallithea_import.test_runner import alter


def test_every_following_comes_with_its_start(imported, kallithea_rows):
    rows = kallithea_rows(
        "SELECT u.username AS who, r.repo_name AS repo, o.username AS other, f.follows_from "
        "FROM user_followings f JOIN users u ON u.user_id = f.user_id "
        "LEFT JOIN repositories r ON r.repo_id = f.follows_repository_id "
        "LEFT JOIN users o ON o.user_id = f.follows_user_id"
    )
    assert len(rows) == 7 and any(r["other"] for r in rows)
    got = sorted(
        (
            f.user.username,
            f.follows_repository.name if f.follows_repository else "",
            f.follows_user.username if f.follows_user else "",
        )
        for f in UserFollowing.objects.select_related("user", "follows_repository", "follows_user")
    )
    assert got == sorted((r["who"], r["repo"] or "", r["other"] or "") for r in rows)
    assert UserFollowing.objects.order_by("follows_from").first().follows_from.year >= 2020
    summary, _ = imported
    assert summary.imported["followings"] == 7


def test_a_following_of_a_repository_that_did_not_come_is_skipped(sqlite_ini, repo_root, transactional_db):
    import shutil

    shutil.rmtree(repo_root / "gitrepo-fork")
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert (
        "followings",
        "#5 of user #4",
        "its user, or the repository or user it follows, was not imported",
    ) in summary.skipped
    assert UserFollowing.objects.count() == 6
    again, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert UserFollowing.objects.count() == 6 and again.already["followings"] == 6


def test_a_following_of_nothing_is_skipped(sqlite_ini, sqlite_fixture, repo_root, transactional_db):
    alter(
        sqlite_fixture, "UPDATE user_followings SET follows_repository_id = NULL WHERE user_following_id = 1"
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert any(kind == "followings" and row == "#1 of user #3" for kind, row, _ in summary.skipped)
