"""The git backend: pygit2 for objects, the ``git`` CLI for the rest."""

from .changeset import GitChangeset
from .repository import GitRepository

__all__ = ["GitChangeset", "GitRepository"]
