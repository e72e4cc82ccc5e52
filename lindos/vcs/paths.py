"""Path safety for paths that come from URLs.

Every path a caller passes into the VCS layer goes through
``normalize_path`` first. Lookups only ever happen inside repository trees,
never on disk, but refusing ``..``, absolute paths and NUL bytes up front
keeps a bad path from meaning two different things in two places (a URL, a
cache key, a ``git`` command line).
"""

from .errors import PathNotFound


def normalize_path(path: str | None) -> str:
    """Return ``path`` in canonical form: no leading or trailing slash.

    ``None`` and ``''`` mean the root directory. A trailing slash is
    forgiven (URLs for directories often end in one). Refused with ``PathNotFound``: a leading slash, empty
    segments (``a//b``), ``.`` and ``..`` segments, and NUL bytes.
    """
    if path is None or path == "":
        return ""
    if "\x00" in path:
        raise PathNotFound("path contains a NUL byte")
    if path.startswith("/"):
        raise PathNotFound(f"absolute path refused: {path!r}")
    if path.endswith("/"):
        path = path[:-1]
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            raise PathNotFound(f"unsafe path refused: {path!r}")
    return path


def parent_path(path: str) -> str:
    """The directory holding ``path`` (``''`` for top-level entries)."""
    return path.rpartition("/")[0]


def base_name(path: str) -> str:
    """The last segment of ``path`` (``''`` for the root)."""
    return path.rpartition("/")[2]
