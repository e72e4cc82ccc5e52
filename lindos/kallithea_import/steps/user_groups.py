"""User groups (``users_groups``): name, description, active flag, owner,
what everyone may do with each (the default user's row in
``user_user_group_to_perm``), and their members (``users_groups_members``).

A group whose name Lindos already uses is mapped to it when ``--merge``
finds the same name with the same owner (made by hand before); otherwise it
is skipped, with its members and grants, and listed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from lindos.accounts.models import UserGroup, validate_user_group_name
from lindos.kallithea_import.context import ImportContext, aware, truthy
from lindos.kallithea_import.permission_levels import default_levels
from lindos.kallithea_import.steps.ids import pks_by
from lindos.kallithea_import.timestamps import kept_timestamps

KIND = "user groups"
MEMBERS = "user group members"


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("users_groups", "users_group_id")
    ctx.progress.start(KIND, len(rows))
    existing = {n: (pk, owner) for pk, n, owner in UserGroup.objects.values_list("pk", "name", "owner_id")}
    defaults = default_levels(
        ctx, "user_user_group_to_perm", "user_user_group_to_perm_id", "user_group_id", "usergroup"
    )
    new, old_ids = [], []
    for row in rows:
        ctx.progress.advance()
        old_id, name = row["users_group_id"], row["users_group_name"] or ""
        if ctx.ids.has("user_group", old_id):
            ctx.summary.already[KIND] += 1
            continue
        owner = ctx.ids.get("user", row["user_id"])
        if name in existing:
            pk, their_owner = existing[name]
            if their_owner is not None and their_owner == owner:
                ctx.ids.add("user_group", old_id, pk)
                ctx.summary.already[KIND] += 1
            else:
                ctx.summary.skip(KIND, name, "a Lindos user group has this name")
            continue
        why = _refusal(row, owner)
        if why:
            ctx.summary.skip(KIND, name, why)
            continue
        existing[name] = (None, owner)
        new.append(
            UserGroup(
                name=name,
                description=row["user_group_description"] or "",
                active=truthy(row["users_group_active"]),
                # Kallithea gave every group a default row; one without
                # had none, which its permission check read as nothing.
                default_permission=defaults.get(old_id, "none"),
                owner_id=owner,
                created_at=aware(row["created_on"]),
            )
        )
        old_ids.append(old_id)
    with kept_timestamps(UserGroup):
        UserGroup.objects.bulk_create(new, batch_size=1000)
    by_name = pks_by(UserGroup, "name", [g.name for g in new])
    for group, old_id in zip(new, old_ids):
        ctx.ids.add("user_group", old_id, by_name[group.name])
    ctx.summary.imported[KIND] += len(new)
    _members(ctx)
    ctx.progress.finish()


def _refusal(row: dict, owner: int | None) -> str:
    try:
        validate_user_group_name(row["users_group_name"] or "")
    except ValidationError as exc:
        return "name not allowed in Lindos: " + " ".join(exc.messages)
    if owner is None:
        return f"its owner (user #{row['user_id']}) was not imported"
    return ""


def _members(ctx: ImportContext) -> None:
    rows = ctx.db.rows("users_groups_members", "users_group_member_id")
    through = UserGroup.members.through
    present = set(through.objects.values_list("usergroup_id", "user_id"))
    new = []
    for row in rows:
        old_id = row["users_group_member_id"]
        if ctx.ids.has("user_group_member", old_id):
            ctx.summary.already[MEMBERS] += 1
            continue
        group, user = ctx.ids.get("user_group", row["users_group_id"]), ctx.ids.get("user", row["user_id"])
        if group is None or user is None:
            ctx.summary.skip(
                MEMBERS,
                f"user #{row['user_id']} in group #{row['users_group_id']}",
                "its user or group was not imported",
            )
            continue
        if (group, user) not in present:
            present.add((group, user))
            new.append(through(usergroup_id=group, user_id=user))
        # The membership's Lindos row has no id of its own worth keeping:
        # the map records the group, which is what a rerun needs.
        ctx.ids.add("user_group_member", old_id, group)
    through.objects.bulk_create(new, batch_size=2000)
    ctx.summary.imported[MEMBERS] += len(new)
