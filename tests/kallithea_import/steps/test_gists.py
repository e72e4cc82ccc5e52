"""Gists from Kallithea: rows added to a copy of the SQLite fixture (the
fixtures were made without gists) and gist repositories made with the real
``hg`` in ``.rc_gist_store``, as Kallithea 0.7 keeps them."""

import json
import time

from lindos.gists.models import Gist
from lindos.kallithea_import.runner import do_import, render_summary
from tests.kallithea_import.test_runner import alter

PRIVATE_ID = "AbCdEf23456789abcdEF"
LATER = time.time() + 3600


def make_gist_repo(hg, store, access_id, files, message="added file"):
    path = store / access_id
    hg("init", str(path))
    for name, text in files.items():
        (path / name).write_text(text)
    hg("commit", "-A", "-q", "-m", message, cwd=path)
    (path / ".hg" / ".rc_gist_metadata").write_text(json.dumps({"gist_access_id": access_id}))
    return path


def add_gists(db, *rows):
    alter(
        db,
        *[
            "INSERT INTO gists (gist_id, gist_access_id, gist_description, user_id, gist_expires, gist_type, "
            f"created_on, modified_at) VALUES ({i}, '{a}', '{d}', {u}, {e}, '{t}', "
            "'2021-03-04 05:06:07.000000', '2021-03-05 05:06:07.000000')"
            for i, a, d, u, e, t in rows
        ],
    )


def test_gists_come_with_their_ids_and_repositories(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db, hg, client
):
    store = repo_root / ".rc_gist_store"
    make_gist_repo(hg, store, "1", {"hello.py": "print('hi')\n"})
    make_gist_repo(hg, store, PRIVATE_ID, {"secret.txt": "s3cret\n", "b.md": "# B\n"})
    make_gist_repo(hg, store, "3", {"old.txt": "old\n"})
    add_gists(
        sqlite_fixture,
        (1, "1", "a public one", 3, -1, "public"),
        (2, PRIVATE_ID, "<b>private</b>", 4, LATER, "private"),
        (3, "3", "expired", 3, 1000.0, "public"),
        (4, "4", "no repository", 3, -1, "public"),
        (5, "5", "owner gone", 99, -1, "public"),
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert summary.imported["gists"] == 3
    assert ("gists", "#4 (4)", f"no repository at {store / '4'}") in summary.skipped
    assert ("gists", "#5 (5)", "its owner (user #99) was not imported") in summary.skipped
    assert "gists" not in render_summary(summary).split("Not imported:")[-1]

    public = Gist.objects.get(access_id="1")
    assert public.pk == 1 and public.owner.username == "alice" and public.expires_at is None
    assert public.created_at.year == 2021 and public.description == "a public one"
    private = Gist.objects.get(access_id=PRIVATE_ID)
    assert private.pk == 2 and private.owner.username == "bob" and private.gist_type == "private"
    assert abs(private.expires_at.timestamp() - LATER) < 1

    # the pages read them where Kallithea left them (erin: neither owner)
    from lindos.accounts.models import User

    client.force_login(User.objects.get(username="erin"))
    page = client.get("/_admin/gists/1")
    assert page.status_code == 200 and "hello.py" in page.content.decode()
    assert client.get("/_admin/gists/1/tip/raw/hello.py").content == b"print('hi')\n"
    assert client.get(f"/_admin/gists/{PRIVATE_ID}/tip/raw/secret.txt").content == b"s3cret\n"
    assert "&lt;b&gt;private&lt;/b&gt;" in client.get(f"/_admin/gists/{PRIVATE_ID}").content.decode()
    assert client.get("/_admin/gists/2").status_code == 404  # a private gist's number leads nowhere
    assert client.get("/_admin/gists/3").status_code == 404  # expired in Kallithea already
    listed = client.get("/_admin/gists").content.decode()
    assert "gist: 1<" in listed and PRIVATE_ID not in listed

    # a new public gist gets the next number, not one of Kallithea's
    from lindos.gists.actions import do_create_gist

    made = do_create_gist(owner=public.owner, files={"n.txt": b"n\n"})
    assert int(made.access_id) > 3

    again, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert again.already["gists"] == 3 and not again.imported.get("gists")
    assert Gist.objects.count() == 4


def test_a_store_left_in_kallithea_s_old_folder_is_copied(
    sqlite_ini, sqlite_fixture, repo_root, transactional_db, hg, tmp_path
):
    old_base = tmp_path / "kallithea-repos"
    make_gist_repo(hg, old_base / ".rc_gist_store", "1", {"a.txt": "from the old place\n"})
    alter(
        sqlite_fixture, f"UPDATE ui SET ui_value = '{old_base}' WHERE ui_section = 'paths' AND ui_key = '/'"
    )
    add_gists(sqlite_fixture, (1, "1", "moved without its hidden folder", 3, -1, "public"))
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert summary.imported["gists"] == 1
    copied = repo_root / ".rc_gist_store" / "1"
    assert (copied / ".hg").is_dir() and (old_base / ".rc_gist_store" / "1" / ".hg").is_dir()
    from lindos.gists.actions import gist_files

    _cs, nodes = gist_files(Gist.objects.get())
    assert [(n.name, n.content) for n in nodes] == [("a.txt", b"from the old place\n")]


def test_odd_gist_rows_are_skipped(sqlite_ini, sqlite_fixture, repo_root, transactional_db, hg):
    make_gist_repo(hg, repo_root / ".rc_gist_store", "7", {"a.txt": "a\n"})
    add_gists(
        sqlite_fixture,
        (6, "../../etc", "a path", 3, -1, "public"),
        (7, "7", "odd kind", 3, -1, "secret"),
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    assert ("gists", "#6 (../../etc)", "access id '../../etc' is not one Kallithea makes") in summary.skipped
    assert ("gists", "#7 (7)", "unknown gist type 'secret'") in summary.skipped
    assert not Gist.objects.exists()
