"""Lindos's VCS layer: git and Mercurial repositories behind one interface.

Plain Python, no Django. The web layer opens a repository per request::

    repo = open_repository(path)          # RepositoryNotFound -> 404
    cs = repo.get_changeset(rev)          # RevisionNotFound   -> 404
    node = cs.get_node(path_from_url)     # PathNotFound       -> 404

Server-side repositories are git bare repositories and hg repositories
without a checked-out working directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from .base import (
    ARCHIVE_FORMATS,
    AnnotateLine,
    ChangedFile,
    Changeset,
    DirNode,
    FileNode,
    FileStat,
    Node,
    Ref,
    Repository,
    SubmoduleNode,
)
from .errors import BranchMoved, CommitRefused, PathNotFound, RepositoryNotFound, RevisionNotFound, VCSError
from .paths import normalize_path

__all__ = [
    "ARCHIVE_FORMATS",
    "AnnotateLine",
    "BranchMoved",
    "ChangedFile",
    "Changeset",
    "CommitRefused",
    "DirNode",
    "FileNode",
    "FileStat",
    "KINDS",
    "Node",
    "PathNotFound",
    "Ref",
    "Repository",
    "RepositoryNotFound",
    "RevisionNotFound",
    "SubmoduleNode",
    "VCSError",
    "clone_repository",
    "detect_kind",
    "init_repository",
    "normalize_path",
    "open_repository",
]

KINDS = ("git", "hg")


def detect_kind(path: str) -> str:
    """``'git'`` or ``'hg'`` for the repository at ``path``.

    Looks only at ``path`` itself (never at parent directories): an ``.hg``
    directory means hg, a ``.git`` entry or a bare layout (``HEAD``,
    ``objects/``, ``refs/``) means git. Raises ``RepositoryNotFound``.
    """
    if os.path.isdir(os.path.join(path, ".hg")):
        return "hg"
    if os.path.exists(os.path.join(path, ".git")):
        return "git"
    if (
        os.path.isfile(os.path.join(path, "HEAD"))
        and os.path.isdir(os.path.join(path, "objects"))
        and os.path.isdir(os.path.join(path, "refs"))
    ):
        return "git"
    raise RepositoryNotFound(f"no repository at {path}")


def _backend(kind: str) -> type[Repository]:
    # Backends are imported on first use: a git-only server never pays for
    # importing Mercurial, and vice versa.
    if kind == "git":
        from .git import GitRepository

        return GitRepository
    if kind == "hg":
        from .hg import HgRepository

        return HgRepository
    raise VCSError(f"unknown repository kind: {kind!r}")


def open_repository(path: str) -> Repository:
    """Open the git or hg repository at ``path``."""
    return _backend(detect_kind(path))(path)


def init_repository(path: str, kind: str, default_branch: str = "master") -> Repository:
    """Create an empty repository at ``path`` and open it.

    git repositories are bare, with HEAD naming ``default_branch`` (fixed
    here rather than left to whatever ``init.defaultBranch`` the host
    has); hg ones have a ``.hg`` and no checkout, and hg's default branch
    is always ``default``. The directory may exist but must not already
    hold a repository.
    """
    _backend(kind)  # reject an unknown kind before touching the disk
    if _holds_repository(path):
        raise VCSError(f"a repository already exists at {path}")
    if kind == "git":
        import pygit2

        pygit2.init_repository(path, bare=True, initial_head=f"refs/heads/{default_branch}")
    else:
        from .hg.hgapi import create_hg

        create_hg(path)
    return open_repository(path)


def clone_repository(src_path: str, dest_path: str, kind: str) -> Repository:
    """Fork: a full local copy of ``src_path`` at ``dest_path``.

    Objects are hardlinked where the filesystem allows (both tools do so for
    local clones): a fork costs little until it diverges, and each side's
    later repacking never affects the other. The clone keeps no link to its
    source (no ``origin`` remote, no ``paths.default``), so the server's
    filesystem layout does not leak into the fork's configuration.
    """
    if detect_kind(src_path) != kind:
        raise VCSError(f"{src_path} is not a {kind} repository")
    if _holds_repository(dest_path):
        raise VCSError(f"a repository already exists at {dest_path}")
    if kind == "git":
        _clone_git(src_path, dest_path)
    else:
        from .hg.hgapi import clone_hg

        clone_hg(src_path, dest_path)
        hgrc = os.path.join(dest_path, ".hg", "hgrc")
        if os.path.exists(hgrc):  # written by clone: only paths.default
            os.unlink(hgrc)
    return open_repository(dest_path)


def _clone_git(src_path: str, dest_path: str) -> None:
    from .process import GIT_BINARY, git_env

    # --mirror would also copy remote-tracking and other refs; a fork wants
    # exactly the branches and tags, which --bare gives.
    proc = subprocess.run(
        [GIT_BINARY, "clone", "--bare", "--quiet", "--", src_path, dest_path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=git_env(),
    )
    if proc.returncode != 0:
        shutil.rmtree(dest_path, ignore_errors=True)
        raise VCSError("git clone failed: " + proc.stderr.decode("utf-8", "replace").strip())
    subprocess.run(
        [GIT_BINARY, "--git-dir", dest_path, "remote", "remove", "origin"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=git_env(),
    )


def _holds_repository(path: str) -> bool:
    try:
        detect_kind(path)
    except RepositoryNotFound:
        return False
    return True
