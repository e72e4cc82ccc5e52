"""Fixtures: one small history, built by the real ``git`` and ``hg``.

``vcs_repo`` is parametrized over both backends, so every test that uses it
is a contract test: it runs once per backend and asserts the same thing.
The history (``HISTORY``) covers what the interface must get right: a
non-ASCII author and file name, a Latin-1 commit message and file, a binary
file, a symlink, a subdirectory, two branches, a tag, a rename and a delete.

    0  initial import                          (default branch)
    1  Latin-1 message, edits src/app.py, adds latin1.txt
    2  renames docs/guide.txt -> docs/manual.txt, tagged v1.0
    3  branch "feature" from 2: edits src/app.py, adds feature.txt
    4  default branch: edits src/app.py, deletes latin1.txt

hg adds its own ``.hgtags`` commit after 2 on the default branch; tests
that depend on the exact default history account for it.
"""

from __future__ import annotations

import dataclasses

import pytest

from lindos.vcs import Repository, open_repository
from lindos.vcs.testing import make_git_repo, make_hg_repo

ZOE = "Zoë Ærøskøbing <zoe@example.com>"
BOB = "Bob Builder <bob@example.com>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))

APP_V0 = b"import os\n\ndef main():\n    return 1\n"
APP_V1 = b"import os\nimport sys\n\ndef main():\n    return 1\n\nprint(main())\n"
APP_FEATURE = APP_V1.replace(b"return 1", b"return 2")
APP_V4 = APP_V1.replace(b"return 1", b"return 42")

HISTORY = [
    {
        "message": "Initial import",
        "author": ZOE,
        "files": {
            "README.rst": b"Hello\n=====\n",
            "docs/guide.txt": b"How to use it.\n" * 20,
            "docs/naïve.txt": "naïve café\n".encode(),
            "images/logo.png": PNG,
            "src/app.py": APP_V0,
        },
        "symlinks": {"link-to-readme": "README.rst"},
    },
    {
        "message": b"Caf\xe9 fix\n\nLatin-1 body.",
        "author": BOB,
        "files": {"src/app.py": APP_V1, "latin1.txt": b"caf\xe9\n"},
    },
    {
        "message": "Rename the guide",
        "author": ZOE,
        "renames": {"docs/manual.txt": "docs/guide.txt"},
        "tag": "v1.0",
    },
    {
        "message": "Feature work",
        "author": BOB,
        "branch": "feature",
        "files": {"src/app.py": APP_FEATURE, "feature.txt": b"new\n"},
    },
    {
        "message": "Answer 42, drop latin1.txt",
        "author": ZOE,
        "files": {"src/app.py": APP_V4, "latin1.txt": None},
    },
]


@dataclasses.dataclass
class BuiltRepo:
    kind: str
    path: str
    ids: list[str]

    def open(self) -> Repository:
        return open_repository(self.path)


@pytest.fixture(scope="session")
def built_repos(tmp_path_factory) -> dict[str, BuiltRepo]:
    root = tmp_path_factory.mktemp("vcs")
    git_path, hg_path = str(root / "repo.git"), str(root / "repo-hg")
    return {
        "git": BuiltRepo("git", git_path, make_git_repo(git_path, HISTORY)),
        "hg": BuiltRepo("hg", hg_path, make_hg_repo(hg_path, HISTORY)),
    }


@pytest.fixture(params=["git", "hg"])
def built(request, built_repos) -> BuiltRepo:
    """The shared history as built by one backend's tool."""
    return built_repos[request.param]


@pytest.fixture
def vcs_repo(built) -> Repository:
    """A fresh handle on the shared history, once per backend."""
    return built.open()


@pytest.fixture
def ids(built) -> list[str]:
    """Full ids of ``HISTORY``'s commits, in order."""
    return built.ids
