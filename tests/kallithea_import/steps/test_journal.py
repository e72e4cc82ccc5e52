import pytest

from lindos.kallithea_import.steps.journal import build_entry


@pytest.mark.parametrize(
    "action,expected",
    [
        ("push:" + "a" * 40 + "," + "b" * 40, ("push", "2 changesets: aaaaaaaaaaaa, bbbbbbbbbbbb")),
        ("push_local:" + "c" * 40, ("push", "1 changeset: cccccccccccc")),
        ("user_created_repo", ("create", "imported from Kallithea")),
        ("admin_created_repo", ("create", "imported from Kallithea")),
        ("user_forked_repo:gitrepo-fork", ("fork", "gitrepo-fork")),
        ("pull", None),
        ("user_commented_pull_request:2", None),
        ("started_following_repo", None),
        ("", None),
    ],
)
def test_build_entry(action, expected):
    assert build_entry(action) == expected


def test_a_push_of_many_changesets_fits_the_detail_column():
    action, detail = build_entry("push:" + ",".join(f"{i:040x}" for i in range(500)))
    assert action == "push" and len(detail) == 255 and detail.startswith("500 changesets: ")
