"""Searching: what each type finds, in what order, how it pages, and that
nobody finds anything of a repository they may not read (not even a
count)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lindos.search import backends
from lindos.search.indexer import do_index_repository
from lindos.search.results import run_search

pytestmark = pytest.mark.django_db

PUBLIC = [
    {
        "message": "Public start with sharedword",
        "author": "Pat Public <pat@example.com>",
        "files": {"README": "sharedword in public\n", "src/public_module.py": "print('hello')\n"},
    }
]
SECRET = [
    {
        "message": "Classified launch codes topsecretword",
        "author": "Sam Secret <sam@example.com>",
        "files": {
            "README": "sharedword and topsecretword\n",
            "classified_plans.txt": "the vault is behind the painting\n",
        },
    }
]


@pytest.fixture
def two_repos(make_indexed_repo, make_user):
    owner = make_user("owner")
    public = make_indexed_repo("public", PUBLIC, owner=owner)
    secret = make_indexed_repo("secret", SECRET, owner=owner, private=True)
    for row in (public, secret):
        do_index_repository(row.pk)
    return public, secret


def names(outcome):
    return [(r.repository, getattr(r, "path", None) or r.changeset_id[:0]) for r in outcome.page]


def search(user, text, kind="content", repository=None, page=1):
    return run_search(user, text, kind, repository, page)


SECRET_SEARCHES = [
    ("content", "topsecretword"),
    ("content", "vault is behind"),
    ("path", "classified_plans"),
    ("commit", "launch codes"),
    ("commit", "Sam Secret"),
]


@pytest.mark.parametrize("kind, text", SECRET_SEARCHES)
def test_nobody_without_access_finds_private_content(two_repos, make_user, kind, text):
    stranger = make_user("stranger")
    for user in (AnonymousUser(), stranger):
        outcome = search(user, text, kind)
        assert (outcome.count, list(outcome.page)) == (0, [])
        assert outcome.summary.startswith("0 results")


@pytest.mark.parametrize("kind, text", SECRET_SEARCHES)
def test_the_owner_an_admin_and_a_granted_reader_find_it(two_repos, make_user, kind, text):
    from lindos.repos.actions import do_set_permission

    public, secret = two_repos
    reader = make_user("reader")
    do_set_permission(secret, reader, "read")
    for user in (secret.owner, make_user("boss", admin=True), reader):
        outcome = search(user, text, kind)
        assert outcome.count == 1 and [r.repository for r in outcome.page] == ["secret"]


def test_counts_do_not_include_unreadable_matches(two_repos, make_user):
    public, secret = two_repos
    assert search(AnonymousUser(), "sharedword").count == 1
    assert search(secret.owner, "sharedword").count == 2
    assert search(secret.owner, "sharedword", "commit").count == 1  # the secret commit does not say it


def test_only_granted_users_find_a_repository_closed_to_everyone(two_repos, make_user):
    """Default permission ``none`` (not private): only a grant lets one in.
    An explicit ``none`` grant adds nothing (Kallithea's rule: the strongest
    of the default and the grants), so it is not a way to shut one person out."""
    from lindos.repos.actions import do_set_permission, do_update_repository

    public, _ = two_repos
    do_update_repository(public, default_permission="none")
    outsider, reader = make_user("outsider"), make_user("reader")
    do_set_permission(public, reader, "read")
    assert search(outsider, "sharedword").count == 0
    assert search(AnonymousUser(), "sharedword").count == 0
    assert search(reader, "sharedword").count == 1


def test_a_repository_made_private_disappears_from_results_at_once(two_repos):
    from lindos.repos.actions import do_update_repository

    public, _ = two_repos
    do_update_repository(public, private=True)
    assert search(AnonymousUser(), "hello", "content").count == 0


def test_search_in_one_repository(two_repos):
    public, secret = two_repos
    assert [r.repository for r in search(secret.owner, "sharedword", repository=public).page] == ["public"]
    assert [r.repository for r in search(secret.owner, "sharedword", repository=secret).page] == ["secret"]


def test_content_result_links_to_the_indexed_tip_with_a_marked_snippet(two_repos):
    public, _ = two_repos
    (result,) = search(AnonymousUser(), "SHAREDWORD").page
    assert (result.repository, result.path, result.branches) == ("public", "README", ["master"])
    assert result.url == f"/public/files/{public.ids[-1]}/README"
    assert result.snippet[0][0].html == "<mark>sharedword</mark> in public"


def test_path_and_commit_results(two_repos):
    public, _ = two_repos
    (path,) = search(AnonymousUser(), "public_mod", "path").page
    assert (path.path, path.path_html) == ("src/public_module.py", "src/<mark>public_mod</mark>ule.py")
    (commit,) = search(AnonymousUser(), "sharedword", "commit").page
    assert commit.url == f"/public/changeset/{public.ids[0]}"
    assert commit.author == "Pat Public <pat@example.com>"
    assert commit.message_html == "Public start with <mark>sharedword</mark>"


def test_a_renamed_repository_is_found_under_its_new_name(two_repos):
    from lindos.repos.actions import do_update_repository

    public, _ = two_repos
    do_update_repository(public, name="renamed")
    assert [r.repository for r in search(AnonymousUser(), "sharedword").page] == ["renamed"]
    assert [r.url for r in search(AnonymousUser(), "sharedword", "commit").page] == [
        f"/renamed/changeset/{public.ids[0]}"
    ]


ODD_QUERIES = [
    'foo" OR "bar',
    "sharedword OR topsecretword",
    "NOT sharedword",
    "NEAR(sharedword topsecretword)",
    "((((",
    "))",
    '"',
    '"""',
    "*",
    "shared*",
    "README:sharedword",
    "content:topsecretword",
    "^sharedword",
    "%",
    "_",
    "\\",
    "'; DROP TABLE search_blob; --",
    "sharedword\x00topsecretword",
    "\u202etopsecretword",
    "é" * 300,
]


@pytest.mark.parametrize("kind", ["content", "path", "commit"])
@pytest.mark.parametrize("text", ODD_QUERIES)
def test_odd_queries_are_literal_and_never_leak(two_repos, kind, text):
    outcome = search(AnonymousUser(), text, kind)
    for result in outcome.page or []:
        assert result.repository == "public"


def test_operators_are_not_operators(two_repos):
    public, secret = two_repos
    # As FTS5 syntax this would match both files; as text, neither holds it.
    assert (
        search(secret.owner, "sharedword OR topsecretword").count == 1
    )  # all three words: secret README only
    assert search(secret.owner, '"sharedword OR"').count == 0
    assert search(secret.owner, "shared*").count == 0
    assert search(secret.owner, "%").count == 0


def test_wildcards_match_themselves(make_indexed_repo):
    row = make_indexed_repo(
        "odd", [{"files": {"a.txt": "a 100% sure_thing\n", "b.txt": "a 1000 surexthing\n"}}]
    )
    do_index_repository(row.pk)
    assert [r.path for r in search(AnonymousUser(), "100%").page] == ["a.txt"]
    assert [r.path for r in search(AnonymousUser(), "sure_thing").page] == ["a.txt"]


def test_ten_kilobytes_of_query_is_refused_with_a_message(two_repos):
    outcome = search(AnonymousUser(), "topsecretword " * 800)
    assert outcome.page is None and "too long" in outcome.summary


def test_results_page_in_tens_sorted_by_path(make_indexed_repo):
    files = {f"dir/file{i:02d}.txt": f"kookaburra {i}\n" for i in range(25)}
    row = make_indexed_repo("many", [{"files": files}])
    do_index_repository(row.pk)
    first = search(AnonymousUser(), "kookaburra")
    assert first.count == 25 and first.page.paginator.num_pages == 3
    assert [r.path for r in first.page] == [f"dir/file{i:02d}.txt" for i in range(10)]
    assert [r.path for r in search(AnonymousUser(), "kookaburra", page=3).page] == [
        f"dir/file{i:02d}.txt" for i in range(20, 25)
    ]
    # Nonsense and out-of-range pages: the first and the last, never an error.
    assert search(AnonymousUser(), "kookaburra", page="x").page.number == 1
    assert search(AnonymousUser(), "kookaburra", page="999").page.number == 3


def test_more_matches_than_the_cap_say_so(make_indexed_repo, monkeypatch):
    monkeypatch.setattr(backends, "CAP", 4)
    row = make_indexed_repo("many", [{"files": {f"f{i}.txt": f"wallaby {i}\n" for i in range(9)}}])
    do_index_repository(row.pk)
    outcome = search(AnonymousUser(), "wallaby")
    assert outcome.capped and outcome.count == 4
    assert outcome.summary.startswith("more than 4 results")


def test_short_terms_narrow_a_search(make_indexed_repo):
    row = make_indexed_repo("short", [{"files": {"a.txt": "numbat go\n", "b.txt": "numbat stop\n"}}])
    do_index_repository(row.pk)
    assert [r.path for r in search(AnonymousUser(), "numbat go").page] == ["a.txt"]


def test_commits_are_listed_newest_first(make_indexed_repo):
    row = make_indexed_repo(
        "chronicle", [{"message": f"Quoll step {i}", "files": {"f": f"{i}"}} for i in range(3)]
    )
    do_index_repository(row.pk)
    assert [r.changeset_id for r in search(AnonymousUser(), "quoll", "commit").page] == row.ids[::-1]


def test_hg_repositories_are_searched_alike(make_indexed_repo):
    row = make_indexed_repo("hgrepo", PUBLIC, kind="hg")
    do_index_repository(row.pk)
    (result,) = search(AnonymousUser(), "sharedword").page
    assert (result.repository, result.branches, result.url) == (
        "hgrepo",
        ["default"],
        f"/hgrepo/files/{row.ids[-1]}/README",
    )


def test_one_repository_whose_rows_are_interleaved_with_another(make_indexed_repo, working_copy):
    first = make_indexed_repo("first", [{"files": {"a.txt": "dugong one\n"}, "message": "Dugong one"}])
    do_index_repository(first.pk)
    second = make_indexed_repo("second", [{"files": {"b.txt": "dugong two\n"}, "message": "Dugong two"}])
    do_index_repository(second.pk)
    work = working_copy(first)
    work.commit({"c.txt": "dugong three\n"}, "Dugong three")
    work.push(first)
    do_index_repository(first.pk)  # its new rows come after the second's
    for kind in ("content", "commit"):
        found = search(AnonymousUser(), "dugong", kind, repository=first)
        assert found.count == 2 and {r.repository for r in found.page} == {"first"}
    assert [r.path for r in search(AnonymousUser(), "txt", "path", repository=second).page] == ["b.txt"]
