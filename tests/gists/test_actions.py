"""Making, changing and deleting gists: row and repository in step."""

import pytest

from lindos.gists.actions import (
    GistConflict,
    build_message,
    do_create_gist,
    do_update_gist,
    gist_files,
)
from lindos.gists.files import GistRefused
from lindos.gists.models import PRIVATE, Gist
from lindos.gists.storage import STORE_FOLDER, gist_path

pytestmark = pytest.mark.django_db


def test_messages_are_kallithea_s():
    assert build_message("added", ["a.py"]) == "added file: a.py"
    assert build_message("updated", ["a.py", "b"]) == "updated files: a.py, b"


def test_a_gist_is_an_hg_repository_with_one_commit(make_gist, alice):
    gist = make_gist({"a.py": b"1\n", "b.txt": b"2\n"}, description="d")
    changeset, nodes = gist_files(gist)
    assert [n.name for n in nodes] == ["a.py", "b.txt"]
    assert changeset.message == "added files: a.py, b.txt" and changeset.author == "alice <alice@example.com>"
    assert changeset.parents == [] and gist_files(gist, "tip")[0] == changeset


def test_a_public_number_already_taken_leaves_the_new_gist_a_random_id(make_gist, alice):
    first = make_gist()
    # as after an import with --merge: an older gist holds the next number as its id
    Gist.objects.filter(pk=first.pk).update(access_id=str(first.pk + 1))
    second = make_gist()
    assert second.pk == first.pk + 1 and second.access_id != str(second.pk) and len(second.access_id) == 20


def test_a_refused_commit_leaves_no_row_and_no_folder(repo_root, alice):
    with pytest.raises(GistRefused):
        do_create_gist(owner=alice, files={".git/config": b"x"})
    assert not Gist.objects.exists()
    assert not any((repo_root / STORE_FOLDER).iterdir())


def test_update_on_a_moved_gist_is_a_conflict_and_writes_nothing(make_gist, alice):
    gist = make_gist({"a": b"1"})
    first = gist_files(gist)[0].id
    assert do_update_gist(gist, actor=alice, changes={"a": b"2"}, parent=first)
    with pytest.raises(GistConflict):
        do_update_gist(gist, actor=alice, changes={"a": b"3"}, parent=first, description="lost?")
    gist.refresh_from_db()
    assert gist.description == "" and gist_files(gist)[1][0].content == b"2"


def test_deleting_the_owner_removes_their_gists_and_folders(
    make_gist, alice, django_capture_on_commit_callbacks
):
    gist = make_gist(gist_type=PRIVATE)
    path = gist_path(gist.access_id)
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()
    assert not Gist.objects.exists()
    import os

    assert not os.path.exists(path)
