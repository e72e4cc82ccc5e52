"""Indexing: what goes in, what a push changes, what leaves with a branch
or a repository; on git and Mercurial alike."""

import pytest

from lindos.search import indexer
from lindos.search.indexer import do_index_repository
from lindos.search.models import SearchBlob, SearchCommit, SearchFile, SearchPath, SearchState
from tests.search.conftest import check_fulltext_tables

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
HISTORY = [
    {
        "message": "Initial import",
        "author": "Zoë <zoe@example.com>",
        "files": {
            "README.md": b"# Project\n\nThe quokka is happy.\n",
            "src/app.py": b"def main():\n    return 'wombat'\n",
            "img/logo.png": PNG,
            "big.txt": b"platypus " * 200,
            "latin1.txt": b"caf\xe9 cr\xe8me\n",
        },
    },
    {"message": "Add notes about the echidna", "files": {"notes.txt": b"echidna\n"}},
]


def contents(row):
    return sorted(SearchBlob.objects.filter(repository=row).values_list("content", flat=True))


def files(row, branch=None):
    rows = SearchFile.objects.filter(repository=row)
    if branch:
        rows = rows.filter(branch=branch)
    return sorted(rows.values_list("path__path", flat=True))


@pytest.fixture(params=["git", "hg"])
def kind(request):
    return request.param


def default(kind):
    return "master" if kind == "git" else "default"


def test_text_files_are_stored_binary_and_big_ones_by_path_only(make_indexed_repo, kind, monkeypatch):
    monkeypatch.setattr(indexer, "MAX_FILE_BYTES", 1000)
    row = make_indexed_repo("project", HISTORY, kind=kind)
    report = do_index_repository(row.pk)
    assert files(row) == ["README.md", "big.txt", "img/logo.png", "latin1.txt", "notes.txt", "src/app.py"]
    assert contents(row) == sorted(
        [
            "# Project\n\nThe quokka is happy.\n",
            "def main():\n    return 'wombat'\n",
            "café crème\n",  # not UTF-8: read as Latin-1
            "echidna\n",
        ]
    )
    assert report.contents_read == 4 and report.files_added == 6 and report.commits == 2
    assert sorted(SearchCommit.objects.filter(repository=row).values_list("message", flat=True)) == [
        "Add notes about the echidna",
        "Initial import",
    ]
    assert (
        SearchCommit.objects.get(repository=row, message="Initial import").author == "Zoë <zoe@example.com>"
    )
    assert SearchState.objects.get(repository=row).branches == {default(kind): row.ids[-1]}


def test_indexing_again_without_a_push_reads_nothing(make_indexed_repo, kind):
    row = make_indexed_repo("project", HISTORY, kind=kind)
    do_index_repository(row.pk)
    again = do_index_repository(row.pk)
    assert (again.branches, again.contents_read, again.files_added, again.commits) == (0, 0, 0, 0)


def test_a_push_reads_only_the_files_it_changed(make_indexed_repo, working_copy, kind):
    many = {f"pkg/module{i}.py": f"value = {i}\n" for i in range(40)}
    row = make_indexed_repo("project", [{"files": many, "message": "Many files"}], kind=kind)
    do_index_repository(row.pk)
    work = working_copy(row)
    work.commit({"pkg/module7.py": "value = 'kangaroo'\n", "pkg/module8.py": None}, "Kangaroo in 7, 8 gone")
    work.commit({"new.txt": "dingo\n"}, "Add a dingo")
    work.push(row)

    report = do_index_repository(row.pk)
    assert (report.contents_read, report.files_added, report.files_removed, report.commits) == (2, 2, 1, 2)
    assert "value = 'kangaroo'\n" in contents(row) and "value = 7\n" not in contents(row)
    assert "pkg/module8.py" not in files(row) and "new.txt" in files(row)
    assert not SearchPath.objects.filter(repository=row, path="pkg/module8.py").exists()
    assert SearchBlob.objects.filter(repository=row).count() == 40  # 39 modules (7 changed) and new.txt
    check_fulltext_tables()


def test_a_file_on_two_branches_is_stored_once(make_indexed_repo, working_copy, kind):
    row = make_indexed_repo("project", HISTORY, kind=kind)
    work = working_copy(row)
    work.switch("feature", new=True)
    work.commit({"feature.txt": "bilby\n"}, "Feature work")
    work.push(row)
    report = do_index_repository(row.pk)
    assert report.branches == 2
    assert files(row, "feature") == sorted(files(row, default(kind)) + ["feature.txt"])
    assert SearchBlob.objects.filter(repository=row, content="echidna\n").count() == 1
    assert SearchFile.objects.filter(repository=row, path__path="notes.txt").count() == 2
    # Each commit once, although both branches hold the first ones.
    assert SearchCommit.objects.filter(repository=row).count() == 3


def test_a_deleted_branch_takes_its_files_along(make_indexed_repo, working_copy):
    row = make_indexed_repo("project", HISTORY)
    work = working_copy(row)
    work.switch("feature", new=True)
    work.commit({"feature.txt": "bilby\n"}, "Feature work")
    work.push(row)
    do_index_repository(row.pk)
    work._git("push", "--quiet", "origin", "--delete", "feature")
    do_index_repository(row.pk)
    assert files(row, "feature") == []
    assert "bilby\n" not in contents(row)
    assert SearchState.objects.get(repository=row).branches == {"master": row.ids[-1]}


def test_a_force_push_replaces_the_tree(make_indexed_repo, working_copy):
    row = make_indexed_repo("project", HISTORY)
    do_index_repository(row.pk)
    work = working_copy(row)
    work._git("reset", "--quiet", "--hard", row.ids[0])
    work.commit({"README.md": "rewritten\n"}, "Rewritten history")
    work.push(row)
    do_index_repository(row.pk)
    assert "notes.txt" not in files(row)
    assert "rewritten\n" in contents(row)


def test_a_full_reindex_starts_from_nothing(make_indexed_repo):
    row = make_indexed_repo("project", HISTORY)
    do_index_repository(row.pk)
    SearchBlob.objects.filter(repository=row).update(content="stale")
    report = do_index_repository(row.pk, full=True)
    assert report.contents_read == 5
    assert "stale" not in contents(row)


def test_deleting_a_repository_leaves_nothing_in_the_index(make_indexed_repo):
    from lindos.repos.actions import do_delete_repository

    row = make_indexed_repo("project", HISTORY)
    other = make_indexed_repo("other", HISTORY)
    do_index_repository(row.pk)
    do_index_repository(other.pk)
    do_delete_repository(row)
    for model in (SearchBlob, SearchPath, SearchFile, SearchCommit, SearchState):
        assert not model.objects.filter(repository_id=row.pk).exists(), model
        assert model.objects.filter(repository_id=other.pk).exists(), model
    check_fulltext_tables()


def test_an_empty_repository_or_a_missing_folder_is_no_error(make_indexed_repo, make_repo, search_home):
    import shutil

    empty = make_repo("empty")
    report = do_index_repository(empty.pk)
    assert report is not None and not report.changed
    gone = make_indexed_repo("gone", HISTORY)
    shutil.rmtree(gone.path)
    assert do_index_repository(gone.pk) is None
    assert do_index_repository(999999) is None


def test_nul_bytes_after_the_binary_sniff_are_not_stored(make_indexed_repo):
    text = b"a" * 9000 + b"\x00tail"
    row = make_indexed_repo("project", [{"files": {"late-nul.txt": text}}])
    do_index_repository(row.pk)
    assert contents(row) == ["a" * 9000 + " tail"]
