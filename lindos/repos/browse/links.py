"""URLs of the repository browser, built in Python.

The paths are Kallithea's (``/REPO/files/REV/PATH`` and friends) so old links
keep working; ``browse_urls.py`` routes them. Building them here rather than
with ``reverse`` lets names that are not valid UTF-8 (kept as surrogate
escapes by the VCS layer) be percent-encoded byte for byte, and keeps a
5,000-row listing from paying for 5,000 ``reverse`` calls.
"""

from __future__ import annotations

from urllib.parse import quote

from lindos.vcs.text import name_bytes

# RFC 3986 sub-delims and ':@' are legal in a path segment; '/' separates.
_SAFE = "/!$&'()*+,;=:@~"


def q(text: str) -> str:
    """Percent-encode a name (path, rev, repo) for a URL path, keeping '/'."""
    return quote(name_bytes(text), safe=_SAFE)


def _join(repo_name: str, word: str, *parts: str) -> str:
    url = f"/{q(repo_name)}/{word}"
    for part in parts:
        if part:
            url += "/" + q(part)
    return url


def summary_url(repo_name: str) -> str:
    return f"/{q(repo_name)}"


def changelog_url(repo_name: str, rev: str | None = None, path: str = "") -> str:
    if rev is None and not path:
        return _join(repo_name, "changelog")
    return _join(repo_name, "changelog", rev or "tip", path)


def changeset_url(repo_name: str, rev: str) -> str:
    return _join(repo_name, "changeset", rev)


def raw_changeset_url(repo_name: str, rev: str) -> str:
    return _join(repo_name, "raw-changeset", rev)


def changeset_patch_url(repo_name: str, rev: str) -> str:
    return _join(repo_name, "changeset-patch", rev)


def files_url(repo_name: str, rev: str, path: str = "") -> str:
    url = _join(repo_name, "files", rev, path)
    return url if path else url + "/"


def annotate_url(repo_name: str, rev: str, path: str) -> str:
    return _join(repo_name, "annotate", rev, path)


def raw_url(repo_name: str, rev: str, path: str) -> str:
    return _join(repo_name, "raw", rev, path)


def rawfile_url(repo_name: str, rev: str, path: str) -> str:
    return _join(repo_name, "rawfile", rev, path)


def archive_url(repo_name: str, rev: str, ext: str) -> str:
    return f"/{q(repo_name)}/archive/{q(rev)}.{ext}"
