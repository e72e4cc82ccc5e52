"""Errors raised by the VCS layer.

Callers in the web layer map ``RepositoryNotFound``, ``RevisionNotFound``
and ``PathNotFound`` to HTTP 404; anything else that is a ``VCSError`` is a
server-side problem (a corrupt repository, a failing ``git`` subprocess).
"""


class VCSError(Exception):
    """Base class of every error the VCS layer raises on purpose."""


class RepositoryNotFound(VCSError):
    """No git or hg repository lives at the given path."""


class RevisionNotFound(VCSError):
    """A revision name resolves to no changeset, or the repository is
    empty."""


class PathNotFound(VCSError):
    """A path is absent from a changeset, or is refused as unsafe."""


class BranchMoved(VCSError):
    """A commit was refused because its branch no longer points at the
    changeset the change was made from (someone pushed meanwhile): nothing
    was written to the branch."""


class CommitRefused(VCSError):
    """A commit cannot be made as asked: the branch is not a branch, a
    path to delete is absent, a path to write runs through a file or onto
    a directory, or nothing would change."""
