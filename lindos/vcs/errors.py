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
