"""Gists: the ``gists`` table (access id, description, owner, public or
private, expiry, times) and each gist's repository.

Gist ids are kept where free, so a public gist's number, which is also its
link (``/_admin/gists/12``), and its API ``gist_id`` stay the same; its
access id is kept in any case. The repositories are where Kallithea kept
them, ``.rc_gist_store/<access id>`` in the repositories folder, which is
Lindos's ``base_path`` after the import (``runner`` checks that): used in
place. A hidden folder is easily left behind when the repositories are
moved (``mv repos/* ...`` skips it), so a gist whose folder is missing
there is copied from Kallithea's old repositories folder if that still
holds it; a gist with no repository in either place is skipped, with why.
"""

from __future__ import annotations

import os
import shutil

from lindos import vcs
from lindos.gists.models import KINDS, Gist
from lindos.gists.storage import UnsafeGistPath, gist_path, is_access_id
from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.steps.ids import free_ids, pks_by, reset_sequences
from lindos.kallithea_import.steps.user_keys import expiry
from lindos.kallithea_import.timestamps import kept_timestamps

KIND = "gists"


def _has_repository(path: str) -> bool:
    try:
        vcs.detect_kind(path)
    except vcs.RepositoryNotFound:
        return False
    return True


def place_repository(ctx: ImportContext, access_id: str) -> str:
    """Make sure the gist's repository is in Lindos's store; "" if it is,
    else why not."""
    target = gist_path(access_id, root=ctx.lindos_base_path)
    if _has_repository(target):
        return ""
    if ctx.kallithea_base_path and os.path.isdir(ctx.kallithea_base_path):
        source = gist_path(access_id, root=ctx.kallithea_base_path)
        if source != target and _has_repository(source) and not os.path.lexists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copytree(source, target, symlinks=True)
            return ""
    return f"no repository at {target}"


def _refusal(ctx: ImportContext, row: dict, taken: set[str]) -> str:
    access_id = row["gist_access_id"]
    if not is_access_id(access_id):
        return f"access id {access_id!r} is not one Kallithea makes"
    if access_id in taken:
        return "a Lindos gist has this access id"
    if row["gist_type"] not in KINDS:
        return f"unknown gist type {row['gist_type']!r}"
    if ctx.ids.get("user", row["user_id"]) is None:
        return f"its owner (user #{row['user_id']}) was not imported"
    try:
        return place_repository(ctx, access_id)
    except (UnsafeGistPath, OSError) as exc:
        return f"its repository could not be copied: {exc}"


def run(ctx: ImportContext) -> None:
    if not ctx.db.has_table("gists"):
        return
    rows = ctx.db.rows("gists", "gist_id")
    ctx.progress.start(KIND, len(rows))
    taken = set(Gist.objects.values_list("access_id", flat=True))
    free = free_ids(Gist, [r["gist_id"] for r in rows])
    new, old_ids = [], []
    for row in rows:
        ctx.progress.advance()
        old_id = row["gist_id"]
        if ctx.ids.has("gist", old_id):
            ctx.summary.already[KIND] += 1
            continue
        why = _refusal(ctx, row, taken)
        if why:
            ctx.summary.skip(KIND, f"#{old_id} ({row['gist_access_id']})", why)
            continue
        taken.add(row["gist_access_id"])
        created = aware(row["created_on"])
        new.append(
            Gist(
                pk=old_id if old_id in free else None,
                access_id=row["gist_access_id"],
                description=row["gist_description"] or "",
                owner_id=ctx.ids.get("user", row["user_id"]),
                gist_type=row["gist_type"],
                expires_at=expiry(row["gist_expires"]),
                created_at=created,
                modified_at=aware(row["modified_at"]) or created,
            )
        )
        old_ids.append(old_id)
    with kept_timestamps(Gist):
        Gist.objects.bulk_create(new, batch_size=1000)
    if new:
        reset_sequences(Gist)
    by_access = pks_by(Gist, "access_id", [g.access_id for g in new])
    for gist, old_id in zip(new, old_ids):
        ctx.ids.add("gist", old_id, by_access[gist.access_id])
    ctx.summary.imported[KIND] += len(new)
    ctx.progress.finish()
