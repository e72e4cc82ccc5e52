"""Repository groups (``groups``): full name, description, owner, and what
Kallithea's default user (everyone) could do with each.

Lindos nests groups by name (``projects/web`` lies in ``projects``) and a
repository lies in the group its name starts with, as in Kallithea, whose
``group_name`` and ``repo_name`` are full paths too: the repositories
imported before are in their groups as soon as the groups exist.  The
folders are already there, below the repository root.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.permission_levels import default_levels
from lindos.kallithea_import.steps.ids import pks_by
from lindos.kallithea_import.timestamps import kept_timestamps
from lindos.repos.models import RepoGroup, Repository
from lindos.repos.storage import validate_repository_name

KIND = "repository groups"


def run(ctx: ImportContext) -> None:
    # Parents first, so a skipped parent can skip what is inside it.
    rows = sorted(ctx.db.rows("groups", "group_id"), key=lambda r: (r["group_name"] or "").count("/"))
    ctx.progress.start(KIND, len(rows))
    defaults = default_levels(ctx, "user_repo_group_to_perm", "group_to_perm_id", "group_id", "group")
    groups = {n: (pk, o) for pk, n, o in RepoGroup.objects.values_list("pk", "name", "owner_id")}
    repos = set(Repository.objects.values_list("name", flat=True))
    by_old = {r["group_id"]: r for r in rows}
    new, old_ids = [], []
    for row in rows:
        ctx.progress.advance()
        old_id, name = row["group_id"], row["group_name"] or ""
        if ctx.ids.has("repo_group", old_id):
            ctx.summary.already[KIND] += 1
            continue
        owner = ctx.ids.get("user", row["user_id"])
        if name in groups:
            pk, their_owner = groups[name]
            if pk is not None and their_owner == owner:  # made by hand before a --merge
                ctx.ids.add("repo_group", old_id, pk)
                ctx.summary.already[KIND] += 1
            else:
                ctx.summary.skip(KIND, name, "a Lindos repository group has this name")
            continue
        why = _refusal(row, owner, repos, groups, by_old)
        if why:
            ctx.summary.skip(KIND, name, why)
            continue
        groups[name] = (None, owner)
        new.append(
            RepoGroup(
                name=name,
                description=row["group_description"] or "",
                owner_id=owner,
                default_permission=defaults.get(old_id, "read"),
                created_at=aware(row["created_on"]),
            )
        )
        old_ids.append(old_id)
    with kept_timestamps(RepoGroup):
        RepoGroup.objects.bulk_create(new, batch_size=1000)
    by_name = pks_by(RepoGroup, "name", [g.name for g in new])
    for group, old_id in zip(new, old_ids):
        ctx.ids.add("repo_group", old_id, by_name[group.name])
    ctx.summary.imported[KIND] += len(new)
    ctx.progress.finish()


def _refusal(row: dict, owner, repos: set[str], groups: dict, by_old: dict) -> str:
    name = row["group_name"] or ""
    try:
        validate_repository_name(name)
    except ValidationError as exc:
        return "name not allowed in Lindos: " + " ".join(exc.messages)
    if name in repos:
        return "a Lindos repository has this name"
    parent = by_old.get(row["group_parent_id"])
    if row["group_parent_id"] is not None and parent is None:
        return f"its parent group #{row['group_parent_id']} is not in the Kallithea database"
    if parent is not None and not name.startswith(parent["group_name"] + "/"):
        return f"its name does not start with its parent's ({parent['group_name']})"
    if parent is not None and parent["group_name"] not in groups:
        return f"its parent group {parent['group_name']} was not imported"
    if owner is None:
        return f"its owner (user #{row['user_id']}) was not imported"
    return ""
