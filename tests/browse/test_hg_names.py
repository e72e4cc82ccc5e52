"""Mercurial's own meaning of names in the browser: ``tip`` is the newest
changeset of any branch, closed branches, bookmarks and heads are in the
branch filter, phases are shown, secret changesets do not exist."""

import subprocess

import pytest

from lindos.vcs.testing import hg_binary, make_hg_repo
from tests.browse.conftest import register

pytestmark = pytest.mark.django_db

HISTORY = [
    {"message": "Initial import", "files": {"README.md": b"# hg\n"}},
    {"message": "Default work", "files": {"default.txt": b"d\n"}},
    {"message": "Old branch work", "branch": "old", "files": {"old.txt": b"o\n"}},
    {"message": "Feature work", "branch": "feature", "files": {"feature.txt": b"f\n"}},
]


def hg(path, *args):
    return subprocess.run(
        [hg_binary(), "--cwd", str(path), *args],
        check=True,
        capture_output=True,
        text=True,
        env={"HGRCPATH": "", "HGPLAIN": "1", "HGUSER": "T <t@example.com>", "PATH": "/usr/bin:/bin"},
    ).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Built once (the hg command line is slow to start)."""
    root = tmp_path_factory.mktemp("hgnames")
    path = root / "names"
    ids = make_hg_repo(path, HISTORY)
    hg(path, "update", "-C", "old")
    hg(path, "commit", "--close-branch", "-m", "Close old")
    closed = hg(path, "log", "-r", ".", "-T", "{node}")
    hg(path, "update", "-C", "feature")
    (path / "feature.txt").write_text("f2\n")
    hg(path, "commit", "-m", "Newest feature work")
    newest = hg(path, "log", "-r", ".", "-T", "{node}")
    hg(path, "bookmark", "-r", ids[1], "stable-mark")
    hg(path, "phase", "--public", "-r", ids[1])
    (path / "secret.txt").write_text("s\n")
    hg(path, "commit", "-A", "--secret", "-m", "Secret stuff")
    secret = hg(path, "log", "-r", ".", "-T", "{node}")
    return str(root), {"ids": ids, "closed": closed, "newest": newest, "secret": secret}


@pytest.fixture
def names_repo(built, settings, make_user):
    register(settings, built[0], "names", "hg", make_user("owner"))
    return built[1]


def test_tip_is_mercurials_tip(client, names_repo):
    newest = names_repo["newest"]
    page = client.get("/names/changeset/tip")
    assert page.status_code == 200 and newest in page.content.decode()
    files = client.get("/names/files/tip/").content.decode()
    assert "feature.txt" in files
    # the summary's latest changes start at Mercurial's tip too
    assert "Newest feature work" in client.get("/names").content.decode()


def test_secret_changesets_are_not_there(client, names_repo):
    assert client.get(f"/names/changeset/{names_repo['secret']}").status_code == 404
    assert client.get(f"/names/changeset/{names_repo['secret'][:12]}").status_code == 404
    assert "Secret stuff" not in client.get("/names/changelog?branch=feature").content.decode()


def test_branch_filter_knows_closed_branches_bookmarks_and_heads(client, names_repo):
    page = client.get("/names/changelog").content.decode()
    for label in ("Branches", "Closed branches", "Bookmarks", "Heads"):
        assert f'label="{label}"' in page
    assert '<option value="old">old</option>' in page
    assert '<option value="stable-mark">stable-mark</option>' in page
    assert f'<option value="{names_repo["newest"][:12]}">' in page
    closed = client.get("/names/changelog?branch=old").content.decode()
    assert "Close old" in closed and "Old branch work" in closed
    assert "Default work" in client.get("/names/changelog?branch=stable-mark").content.decode()
    assert client.get("/names/changelog?branch=nope").status_code == 404


def test_phases_are_shown(client, names_repo):
    ids = names_repo["ids"]
    draft = client.get("/names/changelog?branch=feature").content.decode()
    assert '<span class="badge phase-draft" title="Mercurial phase">draft</span>' in draft
    public = client.get(f"/names/changeset/{ids[1]}").content.decode()
    assert 'phase <span class="badge phase-public">public</span>' in public
    newest = client.get(f"/names/changeset/{names_repo['newest']}").content.decode()
    assert 'phase <span class="badge phase-draft">draft</span>' in newest


@pytest.mark.parametrize(
    "url",
    [
        "/names/files/tip/README.md",
        "/names/changelog?branch=default",
        "/names/changelog?branch=feature",
        "/names/raw/tip/feature.txt",
        "/names/annotate/tip/feature.txt",
    ],
)
def test_kallithea_urls_keep_working(client, names_repo, url):
    assert client.get(url).status_code == 200
