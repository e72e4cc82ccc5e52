"""The Mercurial backend, through the in-process ``mercurial`` API.

``hgapi`` is imported first: it prepares the environment Mercurial reads at
import time.
"""

from . import hgapi  # noqa: F401  (must precede other mercurial imports)
from .changeset import HgChangeset
from .repository import HgRepository

__all__ = ["HgChangeset", "HgRepository"]
