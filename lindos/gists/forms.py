"""Reading the gist forms (Kallithea's field names) into checked values.

New gist: ``description``, ``lifetime``, and per file ``filename`` and
``content`` (repeated for several files; Kallithea's page sent one of
each), the button pressed: ``public`` or ``private`` (Kallithea's), or
``add_file`` for one more empty file on the page. Edit: ``description``,
``lifetime`` (``0``: unchanged), ``parent_hash`` (the revision the page
was made from) and per file ``org_files``, ``files``, ``contents``; a
file whose name is emptied is deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils import timezone

from lindos.gists.files import LIFETIMES, GistRefused, build_description, build_expiry, build_files
from lindos.gists.models import PRIVATE, PUBLIC

_FULL_ID = re.compile(r"[0-9a-f]{40}\Z")
LIFETIME_VALUES = {str(minutes) for minutes, _ in LIFETIMES}


@dataclass
class Row:
    """One file of the form as posted (shown again on a refusal)."""

    name: str = ""
    content: str = ""
    original: str = ""  # edit: the name it had


@dataclass
class Posted:
    description: str = ""
    lifetime: str = "-1"
    rows: list[Row] = field(default_factory=list)
    parent: str = ""


def read_new(post) -> Posted:
    names, contents = post.getlist("filename"), post.getlist("content")
    rows = [Row(n, c) for n, c in zip(names, contents)]
    return Posted(post.get("description", ""), post.get("lifetime", "-1"), rows)


def read_edit(post) -> Posted:
    rows = [
        Row(n, c, o)
        for o, n, c in zip(post.getlist("org_files"), post.getlist("files"), post.getlist("contents"))
    ]
    return Posted(post.get("description", ""), post.get("lifetime", "0"), rows, post.get("parent_hash", ""))


def _lifetime(value: str, allowed: set[str]):
    if value not in allowed:
        raise GistRefused("Choose a lifetime from the list.")
    return build_expiry(int(value), timezone.now())


def clean_new(posted: Posted, public: bool) -> dict:
    """Arguments of ``do_create_gist`` from the new-gist form; rows left
    wholly empty are ignored."""
    rows = [r for r in posted.rows if r.name.strip() or r.content.strip()]
    return {
        "files": build_files([(r.name, r.content) for r in rows]),
        "description": build_description(posted.description),
        "gist_type": PUBLIC if public else PRIVATE,
        "expires_at": _lifetime(posted.lifetime, LIFETIME_VALUES),
    }


def clean_edit(posted: Posted, current: dict[str, bytes]) -> dict:
    """Arguments of ``do_update_gist`` from the edit form, against the
    gist's ``current`` files: the changes ({name: bytes or None}) that
    make the posted set of files."""
    rows = []
    for row in posted.rows:
        if row.original and row.original not in current:
            raise GistRefused(
                "The form is damaged (it names a file the gist does not have); reload the page."
            )
        if row.original and not row.name.strip():
            continue  # emptied name: the file is deleted
        if not row.original and not row.name.strip() and not row.content.strip():
            continue  # an added row left empty
        rows.append(row)
    wanted = build_files([(r.name, r.content) for r in rows])
    changes: dict[str, bytes | None] = {name: None for name in current if name not in wanted}
    changes.update({name: data for name, data in wanted.items() if current.get(name) != data})
    if posted.parent and not _FULL_ID.match(posted.parent):
        raise GistRefused("The form is damaged (its parent is not a revision id); reload the page.")
    expires = {} if posted.lifetime == "0" else {"expires_at": _lifetime(posted.lifetime, LIFETIME_VALUES)}
    return {
        "changes": changes,
        "parent": posted.parent or None,
        "description": build_description(posted.description),
        **expires,
    }
