"""Repository names and where repositories live on disk.

A repository's name is its path below the repository root
(``[app:main] base_path``), segments separated by ``/`` as in Kallithea:
``group/sub/repo`` lives in ``BASE/group/sub/repo``. Because names are also
the first part of every repository URL, they are validated here, in one
place, before anything touches the disk or the URL map:

* segments are non-empty and use ``A-Z a-z 0-9 . _ -`` only;
* no segment starts with ``.`` (so no ``..``, no hidden directories) or
  ``_`` (``/_admin``, ``/_static`` and the like are Lindos's own);
* no segment is one of ``ROUTE_WORDS``, the words that follow a repository
  name in URLs, so ``/a/files/...`` can never mean "repository a/files".

Paths are resolved and checked to stay inside the root; a repository
directory that is a symlink pointing elsewhere is refused.
"""

from __future__ import annotations

import os
import re

from django.conf import settings
from django.core.exceptions import ValidationError

#: Words that follow ``/REPO/`` in the browser, review and transport URLs
#: (Kallithea's and Lindos's). A name segment may not be one of them.
ROUTE_WORDS = frozenset(
    {
        # browser
        "summary",
        "changelog",
        "changelog_details",
        "changeset",
        "changeset_info",
        "changeset_children",
        "changeset_parents",
        "raw-changeset",
        "changeset-patch",
        "changeset-download",
        "changeset-diff",
        "files",
        "files_history",
        "files_authors",
        "annotate",
        "raw",
        "rawfile",
        "archive",
        "diff",
        "diff-2way",
        "history",
        "authors",
        "compare",
        "branches",
        "tags",
        "bookmarks",
        "statistics",
        "followers",
        "feed",
        "search",
        # Kallithea's script data (lindos.compat)
        "refs-data",
        "repo_size",
        "repo_creating",
        "repo_check_creating",
        # management
        "settings",
        "edit",
        "add",
        "delete",
        "permissions",
        "fork",
        "forks",
        "journal",
        # review
        "pull-request",
        "pull-request-comment",
        "pullrequests",
        "comments",
        "changeset_comment",
        # site-wide pages whose first path segment could look like a repository
        "my_pullrequests",
        # git smart HTTP (and the dumb protocol's object paths)
        "info",
        "git-upload-pack",
        "git-receive-pack",
        "objects",
    }
)

MAX_NAME_LENGTH = 200
_SEGMENT = re.compile(r"[A-Za-z0-9._-]+\Z")


def name_problems(name: str) -> list[str]:
    """Every reason ``name`` is not an acceptable repository name (empty if fine)."""
    if not name:
        return ["The name is empty."]
    problems = []
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"The name is longer than {MAX_NAME_LENGTH} characters.")
    for segment in name.split("/"):
        if not segment:
            problems.append("The name has an empty part (a leading, trailing or double '/').")
        elif segment in (".", ".."):
            problems.append(f"'{segment}' is not allowed in a name.")
        elif not _SEGMENT.match(segment):
            problems.append(f"'{segment}' may only contain letters, digits, '.', '_' and '-'.")
        elif segment[0] == ".":
            problems.append(f"'{segment}' may not start with '.'.")
        elif segment[0] == "_":
            problems.append(f"'{segment}' may not start with '_' (reserved for Lindos's own pages).")
        elif segment.lower() in ROUTE_WORDS:
            problems.append(f"'{segment}' is a word Lindos uses in its URLs.")
    return problems


def validate_repository_name(name: str) -> None:
    """Raise ``ValidationError`` listing what is wrong with ``name``."""
    problems = name_problems(name)
    if problems:
        raise ValidationError(problems)


def base_path() -> str:
    return os.path.realpath(settings.LINDOS.base_path)


def is_inside(root: str, path: str) -> bool:
    """True if ``path`` is ``root`` or below it (both already resolved)."""
    return os.path.commonpath([root, path]) == root


class UnsafePath(Exception):
    """A repository path that would leave the repository root."""


def repository_path(name: str) -> str:
    """The directory of repository ``name``, checked to stay inside the root.

    Refuses (``UnsafePath``) invalid names and paths that resolve outside the
    root, e.g. through a symlinked group folder or repository directory.
    """
    if name_problems(name):
        raise UnsafePath(f"invalid repository name {name!r}")
    root = base_path()
    path = os.path.join(root, *name.split("/"))
    if not is_inside(root, os.path.realpath(path)):
        raise UnsafePath(f"{name!r} resolves outside the repository root")
    return path


def remove_empty_parents(path: str) -> None:
    """Remove now-empty group folders above ``path``, up to (not including) the root."""
    root = base_path()
    parent = os.path.dirname(path)
    while parent != root and is_inside(root, parent):
        try:
            os.rmdir(parent)
        except OSError:
            return
        parent = os.path.dirname(parent)


def _repo_name_regex() -> str:
    words = "|".join(re.escape(w) for w in sorted(ROUTE_WORDS, key=len, reverse=True))
    segment = rf"(?!(?i:{words})(?:/|$))[A-Za-z0-9.-][A-Za-z0-9._-]*"
    return rf"(?P<repo_name>{segment}(?:/{segment})*)"


#: A regex group ``repo_name`` matching a possible repository name in a URL:
#: segments that are not route words, not starting with ``_``. Patterns
#: built on it can never swallow ``/files/REV/settings`` and the like as
#: part of a name.
REPO_NAME_REGEX = _repo_name_regex()
