"""``/REPO/edit|add|delete/REV/PATH``: committing from the browser, on
real git and hg repositories (each test its own), and what strangers,
readers and odd input get."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client

from lindos.repos.editing import MAX_EDIT_BYTES
from lindos.repos.models import JournalEntry, Repository
from lindos.vcs import PathNotFound, open_repository
from lindos.vcs.testing import make_git_repo, make_hg_repo
from tests.repos.fixtures import make_user, repo_root  # noqa: F401

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
HISTORY = [
    {
        "message": "Initial import",
        "author": "Zoe <zoe@example.com>",
        "files": {
            "README.md": b"# Project\n",
            "src/app.py": b"print(1)\n",
            "dos.txt": b"one\r\ntwo\r\n",
            "img/logo.png": PNG,
            "latin1.txt": b"caf\xe9\n",
            "big.txt": b"x" * (MAX_EDIT_BYTES + 1),
        },
        "tag": "v1.0",
    },
    {
        "message": "Feature",
        "author": "Bob <bob@example.com>",
        "branch": "feature",
        "files": {"f.txt": b"f\n"},
    },
    {"message": "Second", "author": "Zoe <zoe@example.com>", "files": {"src/app.py": b"print(2)\n"}},
    {
        "message": "A branch with a slash",
        "author": "Bob <bob@example.com>",
        "branch": "topic/x",
        "files": {b"caf\xe9.txt": b"latin-1 name\n"},
        "symlinks": {"link": "README.md"},
    },
]


@dataclasses.dataclass
class Project:
    row: Repository
    ids: list
    owner: object

    @property
    def kind(self):
        return self.row.kind

    @property
    def branch(self):
        return "master" if self.kind == "git" else "default"

    def vcs(self):
        return open_repository(self.row.path)

    def tip(self, branch=None):
        return self.vcs().branches[branch or self.branch]

    def url(self, word, path="", rev=None):
        return f"/{self.row.name}/{word}/{rev or self.branch}/{path}"


@pytest.fixture(params=["git", "hg"])
def project(request, repo_root, make_user):  # noqa: F811
    owner = make_user("olga")
    owner.first_name, owner.last_name = "Olga", "Owner"
    owner.save()
    make = make_git_repo if request.param == "git" else make_hg_repo
    ids = make(repo_root / "team" / "project", HISTORY)
    row = Repository.objects.create(name="team/project", kind=request.param, owner=owner)
    return Project(row, ids, owner)


@pytest.fixture
def olga(client, project):
    client.force_login(project.owner)
    return client


def test_edit_page_shows_the_file_and_its_tip(olga, project):
    page = olga.get(project.url("edit", "src/app.py"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="content"' in html and "print(2)\n</textarea>" in html
    assert f'name="parent" value="{project.tip()}"' in html
    assert 'placeholder="Edited file src/app.py via Lindos"' in html


def test_edit_commits_on_the_branch_as_the_user_and_records_a_push(olga, project):
    before = project.tip()
    answer = olga.post(
        project.url("edit", "src/app.py"),
        {"content": "print(3)\r\nprint(4)\r\n", "message": "Count on", "parent": before},
    )
    new = project.tip()
    assert new != before
    assert answer.status_code == 302 and answer["Location"] == f"/team/project/changeset/{new}"
    cs = project.vcs().get_changeset(new)
    assert cs.parents == [before]
    assert cs.get_file_content("src/app.py") == b"print(3)\nprint(4)\n"  # the browser's CRLF undone
    assert cs.author == "Olga Owner <olga@example.com>"
    assert cs.message.strip() == "Count on"
    assert project.tip("feature") == project.ids[1]
    entry = JournalEntry.objects.get(repository=project.row, action="push")
    assert entry.user == project.owner
    assert entry.ref_changes == [{"ref": f"refs/heads/{project.branch}", "old": before, "new": new}]
    page = olga.get(answer["Location"])
    assert "Successfully committed to src/app.py" in page.content.decode()


def test_edit_keeps_a_files_crlf_line_endings_and_defaults_the_message(olga, project):
    olga.post(project.url("edit", "dos.txt"), {"content": "one\r\ntwo\r\nthree\r\n", "parent": project.tip()})
    cs = project.vcs().get_changeset(project.tip())
    assert cs.get_file_content("dos.txt") == b"one\r\ntwo\r\nthree\r\n"
    assert cs.message.strip() == "Edited file dos.txt via Lindos"


def test_edit_on_another_branch_and_by_its_tip_id(olga, project):
    tip = project.tip("feature")
    answer = olga.post(project.url("edit", "f.txt", rev="feature"), {"content": "g\n", "parent": tip})
    assert answer.status_code == 302
    assert project.vcs().get_changeset("feature").get_file_content("f.txt") == b"g\n"
    # the tip's id names the branch too (Kallithea's links used ids)
    tip = project.tip("feature")
    answer = olga.post(project.url("edit", "f.txt", rev=tip[:12]), {"content": "h\n", "parent": tip})
    assert answer.status_code == 302
    assert project.vcs().get_changeset("feature").get_file_content("f.txt") == b"h\n"


def test_a_branch_that_moved_meanwhile_is_a_conflict_and_nothing_is_lost(olga, project):
    page_parent = project.tip()
    # someone else's commit lands between loading the page and posting it
    theirs = project.vcs().commit_files(
        branch=project.branch,
        parent=page_parent,
        files={"src/app.py": b"print('theirs')\n"},
        message="Pushed meanwhile",
        author="Bob <bob@example.com>",
    )
    answer = olga.post(
        project.url("edit", "src/app.py"),
        {"content": "print('mine')\n", "message": "Mine", "parent": page_parent},
    )
    assert answer.status_code == 409
    html = answer.content.decode()
    assert f"{project.branch} has changed since this page was loaded" in html
    assert "Nothing was committed" in html
    assert "print(&#x27;mine&#x27;)\n</textarea>" in html  # the user's text is kept
    assert f'name="parent" value="{theirs}"' in html  # the next try starts from the new tip
    changes = f"/team/project/compare/rev@{page_parent}...branch@{project.branch}"
    assert f'href="{changes}"' in html
    assert "Pushed meanwhile" in olga.get(changes).content.decode()
    assert project.tip() == theirs
    assert project.vcs().get_changeset(theirs).get_file_content("src/app.py") == b"print('theirs')\n"
    assert not JournalEntry.objects.filter(repository=project.row, action="push").exists()


def test_a_file_deleted_meanwhile_is_a_conflict_too(olga, project):
    page_parent = project.tip()
    project.vcs().commit_files(
        branch=project.branch,
        parent=page_parent,
        files={"src/app.py": None},
        message="Gone",
        author="Bob <bob@example.com>",
    )
    answer = olga.post(
        project.url("edit", "src/app.py"), {"content": "print('mine')\n", "parent": page_parent}
    )
    assert answer.status_code == 409
    assert "print(&#x27;mine&#x27;)\n</textarea>" in answer.content.decode()
    answer = olga.post(project.url("delete", "src/app.py"), {"message": "Bye", "parent": page_parent})
    assert answer.status_code == 409 and "\nBye</textarea>" in answer.content.decode()
    # without a stale parent, a missing file is just a 404
    assert (
        olga.post(project.url("edit", "src/app.py"), {"content": "x", "parent": project.tip()}).status_code
        == 404
    )


@pytest.mark.parametrize("word", ["edit", "delete"])
def test_a_tag_or_an_older_changeset_is_not_a_branch(olga, project, word):
    for rev in ("v1.0", project.ids[0]):
        answer = olga.post(
            project.url(word, "README.md", rev=rev), {"content": "x\n", "parent": project.tip()}
        )
        assert answer.status_code == 302
        page = olga.get(answer["Location"])
        assert f"You can only {word} files with revision being a valid branch" in page.content.decode()
    assert project.tip() == project.ids[2]


@pytest.mark.parametrize("rev", ["HEAD", "refs/heads/master", "refs/tags/v1.0", "nope", "tip"])
def test_ref_names_that_are_no_branch_are_refused(olga, project, rev):
    answer = olga.post(project.url("edit", "README.md", rev=rev), {"content": "x\n", "parent": project.tip()})
    assert answer.status_code in (302, 404)
    assert project.tip() == project.ids[2]


@pytest.mark.parametrize(
    "path, reason",
    [
        ("img/logo.png", "is a binary file"),
        ("big.txt", "is larger than 512 KiB"),
        ("latin1.txt", "is not UTF-8 text"),
    ],
)
def test_files_the_browser_cannot_edit_are_refused(olga, project, path, reason):
    for method, data in (("get", {}), ("post", {"content": "x", "parent": project.tip()})):
        answer = getattr(olga, method)(project.url("edit", path), data)
        assert answer.status_code == 302
        assert reason in olga.get(answer["Location"]).content.decode()
    assert project.tip() == project.ids[2]


def test_content_over_the_limit_is_refused(olga, project):
    answer = olga.post(
        project.url("edit", "README.md"), {"content": "y" * (MAX_EDIT_BYTES + 1), "parent": project.tip()}
    )
    assert answer.status_code == 413
    assert "The content is larger than 512 KiB" in answer.content.decode()
    assert project.tip() == project.ids[2]


def test_no_change_commits_nothing(olga, project):
    answer = olga.post(
        project.url("edit", "README.md"), {"content": "# Project\r\n", "parent": project.tip()}
    )
    assert answer.status_code == 400 and "No changes" in answer.content.decode()
    assert project.tip() == project.ids[2]


def test_a_damaged_parent_is_refused(olga, project):
    answer = olga.post(project.url("edit", "README.md"), {"content": "z\n", "parent": "../../etc"})
    assert answer.status_code == 400 and "The form is damaged" in answer.content.decode()


def test_a_nul_in_the_message_is_refused(olga, project):
    answer = olga.post(
        project.url("edit", "README.md"), {"content": "z\n", "message": "a\x00b", "parent": project.tip()}
    )
    assert answer.status_code == 400 and "NUL" in answer.content.decode()
    assert project.tip() == project.ids[2]


# -- add and delete -------------------------------------------------------------


def test_add_a_file_in_a_directory(olga, project):
    page = olga.get(project.url("add", "src"))
    assert page.status_code == 200 and 'name="location" value="src"' in page.content.decode()
    answer = olga.post(
        project.url("add", "src"),
        {"filename": "new/util.py", "location": "src", "content": "x = 1\r\n", "parent": project.tip()},
    )
    assert answer.status_code == 302
    cs = project.vcs().get_changeset(project.tip())
    assert cs.get_file_content("src/new/util.py") == b"x = 1\n"
    assert cs.message.strip() == "Added file via Lindos"


def test_add_an_uploaded_binary_file(olga, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"\x00\xff" * 100
    answer = olga.post(
        project.url("add", ""),
        {"upload_file": SimpleUploadedFile("C:\\Users\\x\\blob.bin", data), "parent": project.tip()},
    )
    assert answer.status_code == 302
    assert project.vcs().get_changeset(project.tip()).get_file_content("blob.bin") == data


@pytest.mark.parametrize(
    "filename, location, reason",
    [
        ("../evil.txt", "", "must not contain .. in path"),
        ("evil.txt", "../..", "must not contain .. in path"),
        ("a/../../b", "src", "must not contain .. in path"),
        ("/etc/passwd", "", "must not contain .. in path"),
        ("a\x00b", "", "must not contain .. in path"),
        ("bad\nname", "", "control characters"),
        (".git/config", "", "reserved name"),
        ("README.md", "", "already exists"),
        ("README.md/inside", "", "is not a directory"),
        ("", "", "No filename"),
        ("x" * 2000, "", "longer than 1024 bytes"),
    ],
)
def test_add_refuses_bad_names(olga, project, filename, location, reason):
    answer = olga.post(
        project.url("add", ""),
        {"filename": filename, "location": location, "content": "x\n", "parent": project.tip()},
    )
    assert answer.status_code == 400
    assert reason in answer.content.decode()
    assert project.tip() == project.ids[2]


def test_a_file_name_that_looks_like_markup_is_text_everywhere(olga, project):
    name = '<img src=x onerror="alert(1)">.txt'
    answer = olga.post(project.url("add", ""), {"filename": name, "content": "x\n", "parent": project.tip()})
    assert answer.status_code == 302
    assert name in [e.path for e in project.vcs().get_changeset(project.tip()).get_node("").entries()]
    html = olga.get(answer["Location"]).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    page = olga.get(f"/team/project/edit/{project.branch}/{name}")
    assert page.status_code == 200 and "<img src=x" not in page.content.decode()


def test_add_to_an_empty_repository(client, make_user, repo_root, settings):  # noqa: F811
    from lindos.repos.actions import do_create_repository

    owner = make_user("erin")
    client.force_login(owner)
    for kind, branch in (("git", "master"), ("hg", "default")):
        row = do_create_repository(name=f"empty-{kind}", kind=kind, owner=owner)
        files = client.get(f"/empty-{kind}/files/tip/").content.decode()
        assert f'href="/empty-{kind}/add/{branch}/"' in files
        answer = client.post(f"/empty-{kind}/add/{branch}/", {"filename": "README", "content": "hi\n"})
        assert answer.status_code == 302
        repo = open_repository(row.path)
        assert repo.get_changeset(branch).get_file_content("README") == b"hi\n"


def test_delete_a_file(olga, project):
    page = olga.get(project.url("delete", "src/app.py"))
    assert page.status_code == 200 and "Delete file" in page.content.decode()
    answer = olga.post(project.url("delete", "src/app.py"), {"message": "", "parent": project.tip()})
    assert answer.status_code == 302
    cs = project.vcs().get_changeset(project.tip())
    with pytest.raises(PathNotFound):  # and src/ with it: it held nothing else
        cs.get_node("src/app.py")
    assert cs.message.strip() == "Deleted file src/app.py via Lindos"


def test_a_missing_or_unsafe_path_is_a_404(olga, project):
    for url in (
        project.url("edit", "missing.txt"),
        project.url("edit", "src/../README.md"),
        project.url("delete", "src"),  # a directory
        project.url("edit", "README.md%00x"),
        project.url("add", "README.md"),  # a file, not a directory
    ):
        assert olga.get(url).status_code == 404, url


# -- who may ----------------------------------------------------------------------


def test_readers_strangers_and_visitors_cannot_commit(client, project, make_user):  # noqa: F811
    from lindos.repos.actions import do_set_permission

    reader = make_user("rita")
    do_set_permission(project.row, reader, "read")
    urls = [project.url("edit", "README.md"), project.url("add", ""), project.url("delete", "README.md")]
    data = {"content": "x\n", "filename": "n.txt", "parent": project.tip()}
    for url in urls:  # anonymous visitors are sent to log in
        assert client.post(url, data).status_code == 302
        assert client.get(url)["Location"].startswith("/_admin/login")
    client.force_login(reader)
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    # a private repository of someone else does not exist for a stranger
    project.row.private = True
    project.row.save()
    client.force_login(make_user("stan"))
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert project.tip() == project.ids[2]


def test_writers_get_the_links_and_readers_do_not(client, project, make_user):  # noqa: F811
    from lindos.repos.actions import do_set_permission

    writer, reader = make_user("wendy"), make_user("rita")
    do_set_permission(project.row, writer, "write")
    do_set_permission(project.row, reader, "read")
    file_url = f"/team/project/files/{project.branch}/src/app.py"
    client.force_login(writer)
    html = client.get(file_url).content.decode()
    assert f'href="/team/project/edit/{project.branch}/src/app.py"' in html
    assert f'href="/team/project/delete/{project.branch}/src/app.py"' in html
    html = client.get(f"/team/project/files/{project.branch}/src").content.decode()
    assert f'href="/team/project/add/{project.branch}/src"' in html
    # not on a tag, and no Edit for a binary file
    assert "/edit/" not in client.get("/team/project/files/v1.0/src/app.py").content.decode()
    html = client.get(f"/team/project/files/{project.branch}/img/logo.png").content.decode()
    assert "/edit/" not in html and "/delete/" in html
    answer = client.post(project.url("edit", "README.md"), {"content": "w\n", "parent": project.tip()})
    assert answer.status_code == 302
    client.force_login(reader)
    html = client.get(file_url).content.decode()
    assert "/edit/" not in html and "/delete/" not in html


def test_csrf_is_required(project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(project.owner)
    answer = client.post(project.url("edit", "README.md"), {"content": "c\n", "parent": project.tip()})
    assert answer.status_code == 403
    assert project.tip() == project.ids[2]


#: (method, URL below /team/project/, POST data, status): odd input gets a
#: clear answer, never a 500; none of these commits anything.
ODD = [
    ("get", "edit/MAIN", None, 404),
    ("get", "edit/MAIN/", None, 404),
    ("get", "edit/MAIN/src", None, 404),
    ("get", "edit/MAIN/src/", None, 404),
    ("get", "edit/%00/README.md", None, 404),
    ("get", "edit/MAIN/%00", None, 404),
    ("get", "edit/MAIN/%ED%A0%80", None, 404),
    ("get", "edit/" + "f" * 300 + "/README.md", None, 404),
    ("get", "edit/MAIN/" + "a/" * 2000, None, 404),
    ("get", "edit/topic/x/link", None, 302),  # a symlink: refused with a warning
    ("get", "edit/topic/x/caf%E9.txt", None, 200),
    ("get", "edit/topic%2Fx/caf%E9.txt", None, 200),
    ("get", "add/topic/x/", None, 200),
    ("get", "add/MAIN/nope", None, 404),
    ("get", "delete/MAIN/nope.txt", None, 404),
    ("post", "edit/MAIN/README.md", {"parent": "f" * 40, "content": "x"}, 409),
    ("post", "edit/MAIN/README.md", {"parent": "F" * 40, "content": "x"}, 400),
    ("post", "edit/MAIN/README.md", {"parent": "", "content": "# Project\n"}, 400),
    ("post", "add/MAIN/", {"filename": "\x00", "content": "x"}, 400),
    ("post", "add/MAIN/", {"filename": "x", "content": ""}, 400),
    ("post", "add/MAIN/", {"filename": "x", "content": "y", "location": "\x00"}, 400),
    ("post", "add/topic/x/", {"filename": "link/x", "content": "y"}, 400),  # through a symlink
    ("post", "delete/MAIN/README.md", {"parent": "nope"}, 400),
    ("put", "edit/MAIN/README.md", {}, 405),
    ("delete", "delete/MAIN/README.md", {}, 405),
]


def test_odd_input_never_gives_a_server_error(project):
    client = Client(raise_request_exception=False)
    client.force_login(project.owner)
    wrong = []
    for method, url, data, expected in ODD:
        full = "/team/project/" + url.replace("MAIN", project.branch)
        response = getattr(client, method)(full, data or {})
        if response.status_code != expected:
            wrong.append((method, full[:80], response.status_code, expected))
    assert wrong == []
    assert project.tip() == project.ids[2]


def test_edit_a_file_whose_name_is_not_utf8(olga, project):
    tip = project.tip("topic/x")
    answer = olga.post("/team/project/edit/topic/x/caf%E9.txt", {"content": "new\n", "parent": tip})
    assert answer.status_code == 302
    cs = project.vcs().get_changeset("topic/x")
    assert cs.parents == [tip]
    assert cs.get_file_content("caf\udce9.txt") == b"new\n"  # the same name, byte for byte
