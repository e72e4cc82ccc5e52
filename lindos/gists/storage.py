"""Where gists live on disk: one repository per gist in ``STORE_FOLDER``
of the repository root, named by the gist's access id
(``BASE/.rc_gist_store/<access id>``), as Kallithea kept them, so the
folder of a Kallithea installation is used as it is.

The folder can never be a repository or a group: repository names may not
have a segment starting with ``.`` (``lindos.repos.storage``), and the
rescan skips hidden folders (``lindos.repos.scan``), so the store is never
listed, cloned or browsed as a repository.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time

from lindos.repos.storage import base_path, is_inside

#: Kallithea's ``Gist.GIST_STORE_LOC``.
STORE_FOLDER = ".rc_gist_store"
#: Kallithea's ``Gist.GIST_METADATA_FILE``, kept inside the repository's
#: ``.hg`` folder: what the gist was, for a later import or a person.
METADATA_FILE = ".rc_gist_metadata"

#: Kallithea's alphabet for private ids: no 0/O, 1/I/l look-alikes.
ACCESS_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjklmnpqrstuvwxyz"
ACCESS_ID_LENGTH = 20
#: What may name a gist's folder: Kallithea's ids (digits, or its
#: alphabet), never a path.
_ACCESS_ID = re.compile(r"[A-Za-z0-9]{1,250}\Z")


def make_access_id() -> str:
    """A private gist's id: 20 characters of a 56-letter alphabet from the
    system's secure random source (about 116 bits: not guessable)."""
    return "".join(secrets.choice(ACCESS_ID_ALPHABET) for _ in range(ACCESS_ID_LENGTH))


def is_access_id(value) -> bool:
    return isinstance(value, str) and bool(_ACCESS_ID.match(value))


def store_path() -> str:
    return os.path.join(base_path(), STORE_FOLDER)


class UnsafeGistPath(Exception):
    """An access id that does not name a folder inside the gist store."""


def gist_path(access_id: str, root: str | None = None) -> str:
    """The folder of gist ``access_id`` below ``root`` (the repository
    root by default), checked to stay inside the store."""
    if not is_access_id(access_id):
        raise UnsafeGistPath(f"not a gist id: {access_id!r}")
    store = os.path.join(os.path.realpath(root) if root else base_path(), STORE_FOLDER)
    path = os.path.join(store, access_id)
    if not is_inside(os.path.realpath(store), os.path.realpath(path)):
        raise UnsafeGistPath(f"{access_id!r} resolves outside the gist store")
    return path


def build_metadata(gist) -> bytes:
    """Kallithea's metadata file, same keys (version 1)."""
    return json.dumps(
        {
            "metadata_version": "1",
            "gist_db_id": gist.pk,
            "gist_access_id": gist.access_id,
            "gist_owner_id": gist.owner_id,
            "gist_type": gist.gist_type,
            "gist_expires": gist.expires_timestamp,
            "gist_updated": time.time(),
        }
    ).encode()


def write_metadata(path: str, gist) -> None:
    hg = os.path.join(path, ".hg")
    if os.path.isdir(hg):  # an hg gist, as Kallithea made them
        with open(os.path.join(hg, METADATA_FILE), "wb") as fh:
            fh.write(build_metadata(gist))
