"""Fixtures for the repository browser: one history built by the real
``git`` and ``hg`` (once per session), registered as repository
``group/project`` in each test's database.

``browse_repo`` is parametrized over both backends: every page test runs
against git and Mercurial and expects the same visible text.

    0  Initial import (Zoë): README.md, src/app.py, docs/guide.rst, an
       image, a binary, an HTML page and an SVG with script in them
    1  Latin-1 commit message (Bob), adds latin1.txt (not UTF-8)
    2  edits src/app.py, tagged v1.0
    3  branch "feature" from 2: adds feature.txt
    4-25  "Note N" commits on the default branch (for paging)
    26 edits src/app.py again
"""

from __future__ import annotations

import dataclasses

import django
import pytest

django.setup()

from lindos.vcs.testing import make_git_repo, make_hg_repo  # noqa: E402
from tests.repos.fixtures import make_user  # noqa: E402,F401

ZOE = "Zoë Ærøskøbing <zoe@example.com>"
BOB = "Bob Builder <bob@example.com>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
README = (
    b"# Project Lindos\n\nSome *emphasis* here.\n\n"
    b'<script>alert("readme")</script>\n\n[bad](javascript:alert(1))\n'
)
APP_V0 = b"import os\n\n\ndef main():\n    return 1\n"
APP_V1 = APP_V0 + b"\n\nprint(main())\n"
APP_V2 = APP_V1.replace(b"return 1", b"return 42")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="4"/></svg>\n'
LATIN1_MESSAGE = b"Caf\xe9 cr\xe8me fix\n\nLatin-1 body."
NOTES = 22

HISTORY = [
    {
        "message": "Initial import",
        "author": ZOE,
        "files": {
            "README.md": README,
            "src/app.py": APP_V0,
            "docs/guide.rst": b"Guide\n=====\n\nRead *me*.\n",
            "img/logo.png": PNG,
            "data.bin": b"\x00\x01\x02binary\x00" * 10,
            "page.html": b"<html><script>alert(1)</script></html>\n",
            "pic.svg": SVG,
        },
    },
    {"message": LATIN1_MESSAGE, "author": BOB, "files": {"latin1.txt": b"caf\xe9 cr\xe8me\n"}},
    {"message": "Make main print", "author": ZOE, "files": {"src/app.py": APP_V1}, "tag": "v1.0"},
    {"message": "Feature work", "author": BOB, "branch": "feature", "files": {"feature.txt": b"feature\n"}},
    *[
        {"message": f"Note {n}", "author": BOB, "files": {"notes.txt": f"note {n}\n".encode()}}
        for n in range(NOTES)
    ],
    {"message": "Answer 42", "author": ZOE, "files": {"src/app.py": APP_V2}},
]


@dataclasses.dataclass
class BrowseRepo:
    kind: str
    name: str
    ids: list[str]
    row: object = None

    @property
    def default_branch(self) -> str:
        return "master" if self.kind == "git" else "default"

    @property
    def tip(self) -> str:
        return self.ids[-1]

    def url(self, tail: str = "") -> str:
        return f"/{self.name}" + (f"/{tail}" if tail else "")


@pytest.fixture(scope="session")
def built_roots(tmp_path_factory) -> dict[str, tuple[str, list[str]]]:
    """kind -> (repository root, ids); each root holds ``group/project``."""
    result = {}
    for kind, make in (("git", make_git_repo), ("hg", make_hg_repo)):
        root = tmp_path_factory.mktemp(f"browse-{kind}")
        (root / "group").mkdir()
        result[kind] = (str(root), make(root / "group" / "project", HISTORY))
    return result


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: equal histories have equal
    ids, so a cached page from one test would hide work in the next."""
    from django.core.cache import cache

    cache.clear()
    yield


def register(settings, root: str, name: str, kind: str, owner, **fields):
    from lindos.repos.models import Repository

    settings.LINDOS = dataclasses.replace(settings.LINDOS, base_path=root)
    return Repository.objects.create(name=name, kind=kind, owner=owner, **fields)


@pytest.fixture(params=["git", "hg"])
def browse_repo(request, built_roots, settings, make_user) -> BrowseRepo:
    """The shared history, registered as public ``group/project``."""
    kind = request.param
    root, ids = built_roots[kind]
    row = register(
        settings, root, "group/project", kind, make_user("owner"), description="A project to browse"
    )
    return BrowseRepo(kind, "group/project", ids, row)


@pytest.fixture
def git_repo(built_roots, settings, make_user) -> BrowseRepo:
    """The git build only, for tests of web behaviour (headers, 404s)
    that do not depend on the backend."""
    root, ids = built_roots["git"]
    row = register(
        settings, root, "group/project", "git", make_user("owner"), description="A project to browse"
    )
    return BrowseRepo("git", "group/project", ids, row)
