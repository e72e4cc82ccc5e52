"""The gist pages through Django's test client."""

import datetime

import pytest
from django.utils import timezone

from lindos.gists.models import PRIVATE, Gist
from tests.gists.conftest import logged_in

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_create_public_gist_with_two_files_and_view_it(client, alice, repo_root):
    logged_in(client, alice)
    response = client.post(
        "/_admin/gists",
        {
            "description": "Two snippets",
            "lifetime": "-1",
            "filename": ["hello.py", "notes.md"],
            "content": ["def f():\r\n    return 1\r\n", "# Notes\r\n"],
            "public": "Create Public Gist",
        },
    )
    gist = Gist.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/_admin/gists/{gist.pk}"
    assert gist.access_id == str(gist.pk) and gist.is_public and gist.expires_at is None
    assert (repo_root / ".rc_gist_store" / gist.access_id / ".hg").is_dir()
    page = client.get(f"/_admin/gists/{gist.access_id}")
    assert page.status_code == 200
    body = text(page)
    assert "Two snippets" in body and "hello.py" in body and "notes.md" in body and "Public Gist" in body
    # highlighted by the file name's lexer, as the repository browser does
    assert '<span class="k">def</span>' in body
    raw = client.get(f"/_admin/gists/{gist.access_id}/tip/raw/hello.py")
    assert raw.status_code == 200 and raw.content == b"def f():\n    return 1\n"
    assert raw["Content-Type"] == "text/plain; charset=utf-8" and raw["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in raw["Content-Security-Policy"]
    both = client.get(f"/_admin/gists/{gist.access_id}/tip/raw")
    assert both.content == b"def f():\n    return 1\n\n\n# Notes\n"


def make_via_form(client, files, public=False, description="", lifetime="-1"):
    names = list(files)
    response = client.post(
        "/_admin/gists",
        {
            "description": description,
            "lifetime": lifetime,
            "filename": names,
            "content": [files[n] for n in names],
            ("public" if public else "private"): "Create",
        },
    )
    return response


def test_private_gist_is_reachable_by_its_link_only(client, alice, bob, repo_root):
    logged_in(client, alice)
    response = make_via_form(client, {"s.txt": "secret\n"})
    gist = Gist.objects.get()
    assert gist.gist_type == PRIVATE and len(gist.access_id) == 20 and not gist.access_id.isdigit()
    assert response["Location"] == f"/_admin/gists/{gist.access_id}"
    logged_in(client, bob)
    assert client.get(f"/_admin/gists/{gist.access_id}").status_code == 200  # the link works
    assert client.get(f"/_admin/gists/{gist.pk}").status_code == 404  # its number does not
    assert client.get(f"/_admin/gists/{gist.pk}/tip/raw").status_code == 404
    for url in (
        "/_admin/gists",
        "/_admin/gists?public=1",
        "/_admin/gists?private=1",
        "/_admin/gists?public=1&private=1",
    ):
        assert gist.access_id not in text(client.get(url))
    # anonymous visitors (anonymous access is on by default) see public gists only
    client.logout()
    assert gist.access_id not in text(client.get("/_admin/gists?private=1"))
    logged_in(client, alice)
    mine = text(client.get("/_admin/gists?private=1"))
    assert gist.access_id in mine and "Private gists of alice" in mine
    assert gist.access_id not in text(client.get("/_admin/gists"))


def test_guessing_ids_finds_nothing(client, bob, make_gist):
    from lindos.gists.storage import make_access_id

    make_gist(gist_type=PRIVATE)
    logged_in(client, bob)
    for guess in [make_access_id() for _ in range(30)] + ["0", "-1", "1e3", "a" * 300, "%00", "..", "new1"]:
        assert client.get(f"/_admin/gists/{guess}").status_code == 404, guess


def test_lists_show_public_gists_mine_and_paginate(client, alice, bob, make_gist):
    for i in range(12):
        make_gist(description=f"public number {i}")
    mine = make_gist(owner=bob, gist_type=PRIVATE, description="bob private")
    everyone = text(client.get("/_admin/gists"))
    assert (
        "Public gists - 12" in everyone
        and "public number 11" in everyone
        and "public number 1<" not in everyone
    )
    second = text(client.get("/_admin/gists?page=2"))
    assert "public number 1<" in second and "public number 0<" in second and "public number 2<" not in second
    assert "bob private" not in everyone
    logged_in(client, bob)
    own = text(client.get("/_admin/gists?private=1"))
    assert mine.access_id in own and "public number" not in own
    assert "There are no gists yet." in text(client.get("/_admin/gists?public=1"))
    assert client.get("/_admin/gists?page=999").status_code == 200  # the last page, not an error


def test_expired_gist_is_gone_for_everyone(client, alice, admin, make_gist):
    past = timezone.now() - datetime.timedelta(minutes=1)
    gist = make_gist(expires_at=past, description="short-lived")
    for who in (alice, admin):
        logged_in(client, who)
        for url in ("", "/tip/raw", "/tip/raw/hello.py", "/edit"):
            assert client.get(f"/_admin/gists/{gist.access_id}{url}").status_code == 404, url
        assert client.post(f"/_admin/gists/{gist.access_id}/delete").status_code == 404
        assert "short-lived" not in text(client.get("/_admin/gists?public=1"))


def test_lifetime_sets_expiry_and_an_unknown_one_is_refused(client, alice, repo_root):
    logged_in(client, alice)
    before = timezone.now()
    make_via_form(client, {"a.txt": "a"}, public=True, lifetime="60")
    gist = Gist.objects.get()
    assert (
        before + datetime.timedelta(minutes=59)
        < gist.expires_at
        < timezone.now() + datetime.timedelta(minutes=61)
    )
    response = make_via_form(client, {"b.txt": "b"}, lifetime="7")
    assert response.status_code == 400 and "Choose a lifetime from the list." in text(response)
    assert Gist.objects.count() == 1


def test_making_gists_needs_a_login(client, repo_root):
    assert client.get("/_admin/gists/new")["Location"].startswith("/_admin/login")
    response = make_via_form(client, {"a.txt": "a"}, public=True)
    assert response.status_code == 302 and response["Location"].startswith("/_admin/login")
    assert not Gist.objects.exists()


def test_add_another_file_keeps_what_was_typed(client, alice, repo_root):
    logged_in(client, alice)
    response = client.post(
        "/_admin/gists",
        {
            "description": "kept",
            "lifetime": "60",
            "filename": ["one.txt"],
            "content": ["first"],
            "add_file": "1",
        },
    )
    body = text(response)
    assert response.status_code == 200 and not Gist.objects.exists()
    assert body.count('name="filename"') == 2 and 'value="one.txt"' in body and "first</textarea>" in body
    assert '<option value="60" selected>' in body and "kept</textarea>" in body


@pytest.mark.parametrize(
    "name, error",
    [
        ("../escape.txt", "names a folder"),
        ("/etc/passwd", "names a folder"),
        ("dir\\file", "names a folder"),
        ("..", "is not a file name"),
        ("a\x00b", "contains control characters"),
        ("Subject: x\r\nBcc: y", "contains control characters"),
        (".hgsub", "reserved for the version control tools"),
        (".git", "reserved for the version control tools"),
        ("x" * 300, "longer than 255 bytes"),
    ],
)
def test_bad_file_names_are_refused_with_the_form_kept(client, alice, repo_root, name, error):
    logged_in(client, alice)
    response = make_via_form(client, {name: "content kept"})
    assert response.status_code == 400 and error in text(response)
    assert "content kept</textarea>" in text(response)
    assert not Gist.objects.exists() and not list(repo_root.rglob("escape.txt"))


def test_limits_have_clear_errors(client, alice, repo_root, settings):
    logged_in(client, alice)
    big = make_via_form(client, {"big.txt": "x" * (512 * 1024 + 1)})
    assert big.status_code == 413 and "big.txt is larger than 512 KiB" in text(big)
    many = make_via_form(client, {f"f{i}.txt": "x" for i in range(51)})
    assert many.status_code == 413 and "at most 50 files" in text(many)
    empty = make_via_form(client, {"a.txt": "  \r\n"})
    assert empty.status_code == 400 and "a.txt is empty" in text(empty)
    nothing = make_via_form(client, {"": ""})
    assert nothing.status_code == 400 and "A gist needs at least one file." in text(nothing)
    huge = client.post(
        "/_admin/gists",
        data=b"x" * (settings.LINDOS.max_form_body_size + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert huge.status_code == 413
    assert not Gist.objects.exists()


def test_markup_in_names_content_and_description_is_shown_as_text(client, alice, repo_root):
    logged_in(client, alice)
    name = '<img src=x onerror="alert(1)">.html'
    response = make_via_form(
        client,
        {name: "<script>alert('content')</script>\n"},
        public=True,
        description="<script>alert('description')</script>",
    )
    gist = Gist.objects.get()
    page = client.get(response["Location"])
    body = text(page)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#x27;description&#x27;)&lt;/script&gt;" in body
    assert "script-src 'self'" in page["Content-Security-Policy"]
    raw = client.get(
        f"/_admin/gists/{gist.access_id}/tip/raw/{'%3Cimg%20src%3Dx%20onerror%3D%22alert(1)%22%3E.html'}"
    )
    assert raw.status_code == 200 and raw["Content-Type"].startswith("text/plain")
    assert (
        raw.content == b"<script>alert('content')</script>\n" and "sandbox" in raw["Content-Security-Policy"]
    )


def test_raw_paths_that_are_not_files_of_the_gist_are_404(client, make_gist):
    gist = make_gist()
    for rest in (
        "tip/raw/../../../etc/passwd",
        "tip/raw/%2Fetc%2Fpasswd",
        "tip/raw/hello.py%00",
        "tip/raw/nope",
        "tip/zip",
        "nope/raw",
        "0000000000000000000000000000000000000000",
        "tip/html/x",
    ):
        status = client.get(f"/_admin/gists/{gist.access_id}/{rest}").status_code
        assert status == 404 or (rest == "tip/html/x" and status == 200), rest


def test_edit_makes_a_new_revision_and_old_ones_stay(client, alice, make_gist):
    gist = make_gist({"a.txt": b"one\n", "b.txt": b"bee\n"}, description="before")
    logged_in(client, alice)
    form = client.get(f"/_admin/gists/{gist.access_id}/edit")
    assert form.status_code == 200
    first = form.context["posted"].parent
    response = client.post(
        f"/_admin/gists/{gist.access_id}/edit",
        {
            "description": "after",
            "lifetime": "0",
            "parent_hash": first,
            "org_files": ["a.txt", "b.txt", ""],
            "files": ["renamed.txt", "", "new.txt"],
            "contents": ["one\r\ntwo\r\n", "bee\n", "brand new"],
        },
    )
    assert response.status_code == 302
    gist.refresh_from_db()
    assert gist.description == "after" and gist.expires_at is None
    from lindos.gists.actions import gist_files

    changeset, nodes = gist_files(gist)
    assert {n.name: n.content for n in nodes} == {"renamed.txt": b"one\ntwo\n", "new.txt": b"brand new"}
    assert changeset.message == "updated files: a.txt, b.txt, renamed.txt, new.txt"
    assert changeset.author == "alice <alice@example.com>"
    old = client.get(f"/_admin/gists/{gist.access_id}/{first}/raw/a.txt")
    assert old.status_code == 200 and old.content == b"one\n"
    # only the row changes: "gist data"
    response = client.post(
        f"/_admin/gists/{gist.access_id}/edit",
        {
            "description": "data only",
            "lifetime": "5",
            "parent_hash": changeset.id,
            "org_files": ["new.txt", "renamed.txt"],
            "files": ["new.txt", "renamed.txt"],
            "contents": ["brand new", "one\ntwo\n"],
        },
        follow=True,
    )
    assert "Successfully updated gist data" in text(response)
    gist.refresh_from_db()
    assert gist.description == "data only" and gist.expires_at is not None


def test_an_edit_from_a_stale_page_keeps_the_text_and_writes_nothing(client, alice, make_gist):
    gist = make_gist({"a.txt": b"one\n"})
    logged_in(client, alice)
    stale = client.get(f"/_admin/gists/{gist.access_id}/edit").context["posted"].parent
    fields = {"description": "", "lifetime": "0", "org_files": ["a.txt"], "files": ["a.txt"]}
    assert (
        client.post(
            f"/_admin/gists/{gist.access_id}/edit", {**fields, "parent_hash": stale, "contents": ["two\n"]}
        ).status_code
        == 302
    )
    response = client.post(
        f"/_admin/gists/{gist.access_id}/edit", {**fields, "parent_hash": stale, "contents": ["my text\n"]}
    )
    assert response.status_code == 409 and "my text\n</textarea>" in text(response)
    assert client.get(f"/_admin/gists/{gist.access_id}/tip/raw/a.txt").content == b"two\n"
    # the form now carries the current revision: saving again goes through
    again = response.context["posted"].parent
    assert (
        client.post(
            f"/_admin/gists/{gist.access_id}/edit",
            {**fields, "parent_hash": again, "contents": ["my text\n"]},
        ).status_code
        == 302
    )
    assert client.get(f"/_admin/gists/{gist.access_id}/tip/raw/a.txt").content == b"my text\n"


def test_edit_refusals(client, alice, make_gist):
    gist = make_gist({"a.txt": b"one\n"})
    logged_in(client, alice)
    url = f"/_admin/gists/{gist.access_id}/edit"
    base = {"description": "", "lifetime": "0", "parent_hash": ""}
    gone = client.post(url, {**base, "org_files": ["a.txt"], "files": [""], "contents": ["x"]})
    assert gone.status_code == 400 and "A gist needs at least one file." in text(gone)
    forged = client.post(url, {**base, "org_files": ["../../x"], "files": ["x"], "contents": ["x"]})
    assert forged.status_code == 400 and "The form is damaged" in text(forged)
    traversal = client.post(url, {**base, "org_files": ["a.txt"], "files": ["../a.txt"], "contents": ["x"]})
    assert traversal.status_code == 400 and "names a folder" in text(traversal)
    bad_parent = client.post(
        url, {**base, "parent_hash": "tip", "org_files": ["a.txt"], "files": ["a.txt"], "contents": ["z"]}
    )
    assert bad_parent.status_code == 400
    assert client.get(f"/_admin/gists/{gist.access_id}/tip/raw/a.txt").content == b"one\n"


def test_only_owner_and_admins_edit_and_delete(
    client, alice, bob, admin, make_gist, repo_root, django_capture_on_commit_callbacks
):
    gist = make_gist(gist_type=PRIVATE)
    logged_in(client, bob)
    page = text(client.get(f"/_admin/gists/{gist.access_id}"))
    assert "/edit" not in page and "/delete" not in page
    assert client.get(f"/_admin/gists/{gist.access_id}/edit").status_code == 403
    fields = {
        "description": "",
        "lifetime": "0",
        "org_files": ["hello.py"],
        "files": ["hello.py"],
        "contents": ["x"],
    }
    assert client.post(f"/_admin/gists/{gist.access_id}/edit", fields).status_code == 403
    assert client.post(f"/_admin/gists/{gist.access_id}/delete").status_code == 403
    assert Gist.objects.filter(pk=gist.pk).exists()
    client.logout()
    assert client.post(f"/_admin/gists/{gist.access_id}/delete")["Location"].startswith("/_admin/login")
    logged_in(client, admin)
    assert client.get(f"/_admin/gists/{gist.access_id}/delete").status_code == 405
    assert client.get(f"/_admin/gists/{gist.access_id}/edit").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the folder goes once the row's deletion commits
        response = client.post(f"/_admin/gists/{gist.access_id}/delete", follow=True)
    assert f"Deleted gist {gist.access_id}" in text(response)
    assert not Gist.objects.exists() and not (repo_root / ".rc_gist_store" / gist.access_id).exists()


def test_delete_needs_the_csrf_token(alice, make_gist):
    from django.test import Client

    gist = make_gist()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(f"/_admin/gists/{gist.access_id}/delete").status_code == 403
    assert Gist.objects.filter(pk=gist.pk).exists()
    page = client.get(f"/_admin/gists/{gist.access_id}")
    token = page.context["csrf_token"]
    assert (
        client.post(f"/_admin/gists/{gist.access_id}/delete", {"csrfmiddlewaretoken": str(token)}).status_code
        == 302
    )
    assert not Gist.objects.exists()


def test_a_private_id_must_match_in_case_too(client, make_gist):
    gist = make_gist(gist_type=PRIVATE)
    assert client.get(f"/_admin/gists/{gist.access_id}").status_code == 200
    assert client.get(f"/_admin/gists/{gist.access_id.swapcase()}").status_code == 404
