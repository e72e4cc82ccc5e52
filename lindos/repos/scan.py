"""Finding repositories already on disk below the repository root
(Kallithea's "rescan repositories").

A directory holding a git (bare or not) or hg repository is a repository;
any other directory is a group folder and is searched further. Hidden
folders and symlinks that lead outside the root are not followed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NamedTuple

from lindos import vcs
from lindos.repos.storage import base_path, is_inside, name_problems


class Found(NamedTuple):
    name: str
    kind: str
    problem: str  # why it cannot be registered, or ""


def find_repositories(root: str | None = None) -> Iterator[Found]:
    """Every repository directory below ``root``, by name, in sorted order."""
    root = os.path.realpath(root or base_path())
    yield from _walk(root, root)


def _walk(root: str, folder: str) -> Iterator[Found]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=True):
            continue
        name = os.path.relpath(entry.path, root).replace(os.sep, "/")
        if not is_inside(root, os.path.realpath(entry.path)):
            yield Found(name, "", "a symlink pointing outside the repository root")
            continue
        try:
            kind = vcs.detect_kind(entry.path)
        except vcs.RepositoryNotFound:
            if not entry.is_symlink():  # don't loop through symlinked folders
                yield from _walk(root, entry.path)
            continue
        problems = name_problems(name)
        yield Found(name, kind, "; ".join(problems))
