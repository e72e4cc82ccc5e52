"""Odd URLs never give a server error.

A 500 sends the operator an error mail and tells the visitor nothing, so a
typo, a hand-edited URL or a tampered form must get a 404 (no such thing)
or the nearest sensible page. One table, run against a git and an hg
repository with a non-UTF-8 file name, a symlink, a binary file, a branch
whose name has a ``/`` and a tag; requests come from an admin so no
permission check hides a code path.
"""

from __future__ import annotations

import pytest
from django.test import Client

from lindos.vcs.testing import make_git_repo, make_hg_repo

from .conftest import register

BIG = "9" * 30  # past any database integer

HISTORY = [
    {
        "message": "Initial import",
        "files": {
            "README": b"hello\n",
            b"caf\xe9.txt": b"latin-1 name\n",
            "bin.dat": b"\x00\x01" * 50,
            "src/app.py": b"print(1)\n",
        },
        "symlinks": {"link": "README"},
    },
    {
        "message": "On a branch with a slash",
        "branch": "feature/x",
        "files": {"README": b"feature\n"},
        "tag": "v1.0",
    },
    {"message": "Back on the default branch", "files": {"src/app.py": b"print(2)\n"}},
]

#: (method, URL below /odd/ or from the site root when it starts with '/',
#: POST data, expected status). Every status is what a user sees now; the
#: point of the table is that none of them is 500.
REQUESTS = [
    # unknown and malformed revisions
    ("get", "changeset/nope", None, 404),
    ("get", "changeset/" + "a" * 5000, None, 404),
    ("get", "files/" + "f" * 300 + "/", None, 404),
    ("get", "changeset/tip~1", None, 404),
    ("get", "changeset/tip^", None, 404),
    ("get", "changeset/tip:1", None, 404),
    ("get", "changeset/0:1", None, 404),
    ("get", "files/tip~1/", None, 404),
    ("get", "changeset/%00", None, 404),
    ("get", "changeset/%ff", None, 404),
    ("get", "changeset/%ED%A0%80", None, 404),  # an encoded surrogate
    ("get", "raw-changeset/nope", None, 404),
    ("get", "changeset-patch/%00", None, 404),
    ("get", "changeset-patch/tip/x", None, 404),
    # unknown and unsafe paths
    ("get", "files/nope/", None, 404),
    ("get", "files/tip/nope.txt", None, 404),
    ("get", "files/tip/../README", None, 404),
    ("get", "files/tip/src/../README", None, 404),
    ("get", "files/tip/%2e%2e/README", None, 404),
    ("get", "raw/tip/..%2fREADME", None, 404),
    ("get", "files/tip/%00", None, 404),
    ("get", "files/%00/README", None, 404),
    ("get", "files/tip/%ED%A0%80", None, 404),
    ("get", "files/tip/" + "a" * 5000, None, 404),
    ("get", "files/tip/" + "a/" * 2000, None, 404),
    ("get", "files/tip/link/x", None, 404),
    # trailing and missing slashes, no path
    ("get", "files", None, 200),
    ("get", "files/", None, 200),
    ("get", "files/tip", None, 200),
    ("get", "files/tip/src/", None, 200),
    ("get", "files/tip//", None, 404),
    ("get", "files/tip/src//", None, 404),
    ("get", "changeset/tip/", None, 200),
    ("get", "raw-changeset/tip/", None, 200),
    ("get", "summary/", None, 200),
    ("get", "changelog/tip/", None, 200),
    ("get", "changelog/tip//", None, 404),
    # files only: annotate, raw and rawfile of a directory
    ("get", "annotate/tip", None, 404),
    ("get", "annotate/tip/", None, 404),
    ("get", "annotate/tip/src", None, 404),
    ("get", "annotate/tip/src/", None, 404),
    ("get", "raw/tip", None, 404),
    ("get", "raw/tip/", None, 404),
    ("get", "raw/tip/src", None, 404),
    ("get", "rawfile/tip/src", None, 404),
    ("get", "annotate/tip/link", None, 200),
    ("get", "annotate/tip/bin.dat", None, 200),
    ("get", "raw/tip/link", None, 200),
    # a branch whose name has a slash
    ("get", "files/feature/x/", None, 200),
    ("get", "files/feature/x/README", None, 200),
    ("get", "files/feature%2Fx/", None, 200),
    ("get", "changeset/feature/x", None, 200),
    ("get", "changelog/feature/x", None, 200),
    ("get", "changelog?branch=feature/x", None, 200),
    ("get", "annotate/feature/x/README", None, 200),
    ("get", "raw/feature/x/README", None, 200),
    ("get", "archive/feature/x.zip", None, 200),
    ("get", "archive/feature%2Fx.zip", None, 200),
    # archives
    ("get", "archive/tip.rar", None, 404),
    ("get", "archive/tip", None, 404),
    ("get", "archive/.zip", None, 404),
    ("get", "archive/..zip", None, 404),
    ("get", "archive/%00.zip", None, 404),
    ("get", "archive/nope.zip", None, 404),
    ("get", "archive/tip.zip/x", None, 404),
    ("get", "archive/" + "a" * 5000 + ".zip", None, 404),
    # changelog paging and filters
    ("get", "changelog?page=abc", None, 200),
    ("get", "changelog?page=-1", None, 200),
    ("get", "changelog?page=0", None, 200),
    ("get", "changelog?page=999999", None, 200),
    ("get", f"changelog?page={BIG}", None, 200),
    ("get", "changelog?page=1e9", None, 200),
    ("get", "changelog?size=abc", None, 200),
    ("get", f"changelog?size={BIG}", None, 200),
    ("get", "changelog?size=-1", None, 200),
    ("get", "changelog?branch=", None, 200),
    ("get", "changelog?branch=nope", None, 404),
    ("get", "changelog?branch=%00", None, 404),
    ("get", "changelog?branch=%ff", None, 404),
    ("get", "changelog/nope", None, 404),
    ("get", "changelog/tip/src?page=-5", None, 200),
    ("get", f"changelog/tip/src?page={BIG}", None, 200),
    ("get", "changelog/tip/nope.txt?page=abc", None, 404),
    ("get", "changelog/tip/caf%E9.txt?page=2", None, 200),
    # one file between two revisions, its authors and history
    ("get", "diff/README?diff1=nope&diff2=tip", None, 404),
    ("get", "diff/README?diff1=tip&diff2=%00", None, 404),
    ("get", "diff/README?diff1=tip~1&diff2=tip", None, 404),
    ("get", "diff/nope.txt?diff1=tip&diff2=tip", None, 404),
    ("get", "diff/src?diff1=tip&diff2=tip", None, 404),
    ("get", "diff/../README?diff1=tip&diff2=tip", None, 404),
    ("get", "diff/README", None, 404),
    ("get", "diff/README?diff1=tip&diff2=tip", None, 200),
    ("get", "diff/README?diff1=" + "0" * 40 + "&diff2=tip", None, 200),
    ("get", "diff/README?diff1=feature/x&diff2=tip&diff=raw", None, 200),
    ("get", "diff/README?diff1=feature/x&diff2=tip&diff=download", None, 200),
    ("get", "diff/README?diff1=feature/x&diff2=tip&diff=%00", None, 200),
    ("get", "diff/README?diff1=tip&show_rev=1", None, 302),
    ("get", "diff/README?show_rev=1", None, 404),
    ("get", "diff/caf%E9.txt?diff1=" + "0" * 40 + "&diff2=tip", None, 200),
    ("get", "diff/bin.dat?diff1=" + "0" * 40 + "&diff2=tip", None, 200),
    ("get", "diff-2way/README?diff1=feature/x&diff2=tip", None, 200),
    ("get", "diff-2way/bin.dat?diff1=" + "0" * 40 + "&diff2=tip", None, 200),
    ("get", "diff-2way/README?diff1=0&diff2=tip", None, 404),
    ("get", "diff-2way/src?diff1=tip&diff2=tip", None, 404),
    ("get", "authors/tip/README", None, 200),
    ("get", "authors/feature/x/README", None, 200),
    ("get", "authors/tip/src", None, 404),
    ("get", "authors/tip/", None, 404),
    ("get", "authors/nope/README", None, 404),
    ("get", "authors/tip/caf%E9.txt", None, 200),
    ("get", "history/tip/README", None, 200),
    ("get", "history/tip/nope", None, 404),
    ("get", "history/%00/README", None, 404),
    # a changeset's neighbours and downloads
    ("get", "changeset_parents/tip", None, 400),  # scripts only
    ("get", "changeset_children/%00", None, 400),
    ("get", "changeset-download/nope", None, 404),
    ("get", "changeset-download/tip", None, 200),
    ("get", "changeset-download/feature/x", None, 200),
    ("get", "changeset-diff/tip", None, 200),
    ("get", "changeset-diff/%00", None, 404),
    ("get", "branches", None, 200),
    ("get", "tags/", None, 200),
    ("post", "branches", {}, 405),
    ("post", "diff/README?diff1=tip&diff2=tip", {}, 405),
    # code review
    ("get", "pull-request/999", None, 404),
    ("get", "pull-request/abc", None, 404),
    ("get", f"pull-request/{BIG}", None, 404),
    ("get", "pull-request/999/slug", None, 404),
    ("get", "pull-request?closed=abc", None, 200),
    ("get", "pull-request/new?org_ref=nope&other_ref=%00", None, 200),
    ("post", "pull-request/999", {"action": "comment", "text": "x"}, 404),
    ("post", "changeset_comment/unknownrev", {"text": "hello"}, 404),
    ("post", "changeset_comment/%00", {"text": "hello"}, 404),
    ("post", "comments/999/delete", {}, 404),
    ("post", f"comments/{BIG}/delete", {}, 404),
    # the browser only reads: anything but GET and HEAD is a 405
    ("post", "", {}, 405),
    ("post", "summary", {}, 405),
    ("post", "changelog", {}, 405),
    ("post", "files/tip/README.md", {}, 405),
    ("post", "annotate/tip/README.md", {}, 405),
    ("post", "raw/tip/README.md", {}, 405),
    ("post", "archive/tip.zip", {}, 405),
    ("put", "changeset/tip", {}, 405),
    ("delete", "raw-changeset/tip", {}, 405),
    ("post", "?cmd=unbundle", {}, 401),  # an hg push: credentials, please
    ("get", "?cmd=changelog", {}, 400),  # hgweb's pages are not served
    ("get", "?cmd=%ff%00", {}, 400),  # no wire command
    # management, including a tampered permission form
    ("get", "settings", None, 200),
    ("get", "settings/permissions", None, 200),
    ("post", "settings/permissions", {"action": "revoke", "grant": "abc"}, 302),
    ("post", "settings/permissions", {"action": "revoke", "grant": "\u00b2"}, 302),
    ("post", "settings/permissions", {"action": "revoke", "grant": BIG}, 302),
    ("post", "settings/permissions", {"action": "revoke"}, 302),
    # other repository names and the admin pages
    ("get", "/nope/files/tip/", None, 404),
    ("get", "/odd/nope/files/tip/", None, 404),
    ("get", "/_admin/users/999999/edit", None, 404),
    ("get", f"/_admin/users/{BIG}/edit", None, 404),
    ("post", "/_admin/users/999999/edit", {}, 404),
]


@pytest.fixture(scope="module")
def odd_roots(tmp_path_factory):
    roots = {}
    for kind, make in (("git", make_git_repo), ("hg", make_hg_repo)):
        root = tmp_path_factory.mktemp(f"no500-{kind}")
        make(root / "odd", HISTORY)
        roots[kind] = str(root)
    return roots


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_odd_urls_never_give_a_server_error(odd_roots, settings, make_user, kind):
    register(settings, odd_roots[kind], "odd", kind, make_user("owner"))
    client = Client(raise_request_exception=False)
    client.force_login(make_user("root", admin=True))
    wrong = []
    for method, url, data, expected in REQUESTS:
        full = url if url.startswith("/") else f"/odd/{url}"
        response = getattr(client, method)(full, data or {})
        if response.status_code != expected:
            wrong.append((method, full[:80], response.status_code, expected))
    assert wrong == []


#: URLs whose text would reach a database query. PostgreSQL refuses a NUL
#: character in text (psycopg raises DataError: a 500), so none may carry
#: one into SQL; SQLite, which the tests run on, would not show the 500.
NUL_REQUESTS = [
    ("get", "/od%00d", None, 404),
    ("get", "/od%00d/", None, 404),
    ("get", "/od%00d.git", None, 404),
    ("get", "/od%00d/files/tip/", None, 404),
    ("get", "/od%00d/changelog", None, 404),
    ("get", "/od%00d/pull-request/1", None, 404),
    ("get", "/od%00d/pull-request", None, 404),
    ("post", "/od%00d/changeset_comment/abc", {"text": "x"}, 404),
    ("get", "/od%00d/settings", None, 404),
    ("get", "/_admin/users?q=%00", None, 200),
    ("get", "/_admin/users?q=ro%00ot", None, 200),
]


def test_no_nul_character_reaches_the_database(odd_roots, settings, make_user):
    from django.db import connection

    register(settings, odd_roots["git"], "odd", "git", make_user("owner"))
    client = Client(raise_request_exception=False)
    client.force_login(make_user("root", admin=True))
    with_nul = []

    def spy(execute, sql, params, many, context):
        rows = params if many else [params]
        if any("\x00" in value for row in rows for value in (row or ()) if isinstance(value, str)):
            with_nul.append(sql)
        return execute(sql, params, many, context)

    wrong = []
    for method, url, data, expected in NUL_REQUESTS:
        with_nul.clear()
        with connection.execute_wrapper(spy):
            response = getattr(client, method)(url, data or {})
        if response.status_code != expected or with_nul:
            wrong.append((method, url, response.status_code, with_nul[:1]))
    assert wrong == []


#: Revision strings no page may answer with a 500 (a
#: 64-hex id made libgit2 raise InvalidError on every public repository).
#: Each is URL-quoted into every place a revision goes.
BAD_REVISIONS = [
    "a" * 64,
    "f" * 64,
    "0" * 64,  # SHA-256-sized ids
    "b" * 40,
    "0" * 40,  # unknown full SHA-1 ids
    "c" * 41,
    "d" * 63,
    "e" * 65,  # between and beyond id sizes
    "ffff",
    "f" * 39,  # prefixes of hg's wdir id
    "..",
    "tip..tip",
    "^",
    "tip^",
    "~",
    "tip~1",
    "@{-1}",
    "tip@{0}",
    "@",
    ":/Initial",
    "tip:README",
    ".",
    "-1",
    "null",
    "wdir()",
    "all()",
    "é",
    "\u2603",
    "\udcff",
    "%ED%A0%80",
    "\x00",
    "tip\x00",
    "\n",
    " ",
    "a" * 5000,
    "1" * 5000,
    "A" * 40,
]

#: Every URL that takes a revision; REV stands for it.
REVISION_URLS = [
    "changeset/REV",
    "raw-changeset/REV",
    "changeset-patch/REV",
    "files/REV/",
    "files/REV/README",
    "raw/REV/README",
    "rawfile/REV/README",
    "annotate/REV/README",
    "archive/REV.zip",
    "archive/REV.tar.gz",
    "changelog/REV/README",
    "changelog/REV/src",
    "changelog?branch=REV",
]


def _quote_rev(rev: str) -> str:
    from urllib.parse import quote

    if rev.startswith("%"):
        return rev  # already an encoded (invalid UTF-8) form
    return quote(rev.encode("utf-8", "surrogatepass"), safe="")


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_no_revision_string_gives_a_server_error(odd_roots, settings, make_user, kind):
    register(settings, odd_roots[kind], "odd", kind, make_user("owner"))
    client = Client(raise_request_exception=False)  # anonymous: a public repository
    wrong = []
    for template in REVISION_URLS:
        for rev in BAD_REVISIONS:
            url = "/odd/" + template.replace("REV", _quote_rev(rev))
            status = client.get(url).status_code
            if status != 404:
                wrong.append((url[:90], status))
    assert wrong == []


def _ambiguous_git(path) -> str:
    """A git repository where a 4-digit prefix names several objects
    (libgit2 counts blobs and trees too); returns that prefix."""
    files = {f"f{i}": f"{i}\n".encode() for i in range(1000)}
    make_git_repo(path, [{"message": "Many files", "files": {**files, "README": b"x\n"}}])
    import pygit2

    repo = pygit2.Repository(str(path))
    ids = [str(oid) for oid in repo.odb]
    return _shared_prefix(ids)


def _ambiguous_hg(path) -> str:
    """An hg repository where a 4-digit prefix names two changesets."""
    import subprocess

    from lindos.vcs.testing import hg_binary

    env = {"HGRCPATH": "", "HGPLAIN": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([hg_binary(), "init", str(path)], check=True, env=env)
    subprocess.run([hg_binary(), "--cwd", str(path), "debugbuilddag", "+600"], check=True, env=env)
    out = subprocess.run(
        [hg_binary(), "--cwd", str(path), "log", "-T", "{node}\\n"],
        check=True,
        env=env,
        stdout=subprocess.PIPE,
    ).stdout
    return _shared_prefix(out.decode().split())


def _shared_prefix(ids: list[str]) -> str:
    seen: dict[str, int] = {}
    for object_id in ids:
        seen[object_id[:4]] = seen.get(object_id[:4], 0) + 1
    shared = sorted(p for p, n in seen.items() if n > 1)
    assert shared, "the fixture must hold an ambiguous prefix"
    return shared[0]


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_ambiguous_prefix_is_not_found(tmp_path, settings, make_user, kind):
    root = tmp_path / "root"
    root.mkdir()
    prefix = (_ambiguous_git if kind == "git" else _ambiguous_hg)(root / "amb")
    register(settings, str(root), "amb", kind, make_user("owner"))
    from lindos.vcs import RevisionNotFound, open_repository

    with pytest.raises(RevisionNotFound):
        open_repository(str(root / "amb")).get_changeset(prefix)
    client = Client(raise_request_exception=False)
    wrong = []
    for template in REVISION_URLS:
        url = "/amb/" + template.replace("REV", prefix)
        status = client.get(url).status_code
        if status != 404:
            wrong.append((url, status))
    assert wrong == []
