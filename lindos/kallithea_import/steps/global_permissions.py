"""Site-wide permissions: what the default user (everyone) could do, and
what users and user groups were given on top (``user_to_perm``,
``users_group_to_perm``).

The default user's active flag is Kallithea's "anonymous access"; its
``group.*``, ``usergroup.*``, ``hg.create.*``, ``hg.fork.*`` and
``hg.usergroup.create.*`` rows are Admin > Permissions' defaults (its ``repository.*`` and
``hg.register.*`` rows came with the site settings).  Kallithea kept, per
kind, the strongest of everyone's, the user's groups' and the user's own
rows, as Lindos does: a grant of ``hg.create.repository`` becomes a
``GlobalPermissionGrant``, while ``hg.create.none`` gave nothing beyond the
default and is only counted.
"""

from __future__ import annotations

from collections import Counter

from lindos.accounts.models import GlobalPermission, GlobalPermissionGrant
from lindos.appsettings.current import save_app_settings
from lindos.kallithea_import.context import ImportContext, truthy
from lindos.kallithea_import.permission_levels import level, permission_names

KIND = "global permissions"
#: The marker row in the id map: the defaults were imported once.
MARKER = 1

#: Kallithea's global permission -> the Lindos right it grants.
GRANTS = {
    "hg.create.repository": GlobalPermission.CREATE_REPOSITORY,
    "hg.fork.repository": GlobalPermission.FORK,
    "hg.usergroup.create.true": GlobalPermission.CREATE_USER_GROUP,
}
#: ... and the ones that grant nothing beyond the default.
NOTHING = {"hg.create.none", "hg.fork.none", "hg.usergroup.create.false"}
#: AppSettings field -> (the permission that turns it on, its kind's prefix).
DEFAULTS = {
    "create_repositories": "hg.create.repository",
    "fork_repositories": "hg.fork.repository",
    "create_user_groups": "hg.usergroup.create.true",
}
#: Settings imported with the site settings (``site_settings``).
ELSEWHERE = ("repository.", "hg.register.")


def build_defaults(active: bool, perms: list[str]) -> dict:
    """AppSettings fields from the default user's active flag and global
    permission names; a kind without a row keeps Lindos's default."""
    fields = {"anonymous_access": active}
    kinds = {p.rsplit(".", 1)[0] for p in perms}
    for field, name in DEFAULTS.items():
        if name.rsplit(".", 1)[0] in kinds:
            fields[field] = name in perms
    for p in perms:
        if level(p, "group"):
            fields["default_group_permission"] = level(p, "group")
        if level(p, "usergroup"):
            fields["default_user_group_permission"] = level(p, "usergroup")
    return fields


def run(ctx: ImportContext) -> None:
    names = permission_names(ctx)
    user_rows = ctx.db.rows("user_to_perm", "user_to_perm_id")
    group_rows = ctx.db.rows("users_group_to_perm", "users_group_to_perm_id")
    ctx.progress.start(KIND, 1 + len(user_rows) + len(group_rows))
    default_perms = [
        names.get(r["permission_id"], "") for r in user_rows if r["user_id"] == ctx.default_user_id
    ]
    left = Counter()
    _defaults(ctx, default_perms, left)
    new = []
    for rows, holder_kind, field, pk_col in (
        (user_rows, "user", "user_id", "user_to_perm_id"),
        (group_rows, "user_group", "users_group_id", "users_group_to_perm_id"),
    ):
        existing = set(
            GlobalPermissionGrant.objects.filter(**{f"{holder_kind}__isnull": False}).values_list(
                f"{holder_kind}_id", "permission"
            )
        )
        for row in rows:
            ctx.progress.advance()
            if holder_kind == "user" and row["user_id"] == ctx.default_user_id:
                continue
            id_kind = f"{holder_kind}_global_permission"
            if ctx.ids.has(id_kind, row[pk_col]):
                ctx.summary.already[KIND] += 1
                continue
            name = names.get(row["permission_id"], "")
            holder = ctx.ids.get(holder_kind, row[field])
            label = f"{name} of {holder_kind.replace('_', ' ')} #{row[field]}"
            if name in NOTHING:
                left["none"] += 1
            elif name not in GRANTS:
                ctx.summary.skip(KIND, label, "no per-user or per-group right in Lindos")
            elif holder is None:
                ctx.summary.skip(KIND, label, "its holder was not imported")
            elif (holder, GRANTS[name]) in existing:
                ctx.ids.add(id_kind, row[pk_col], holder)
                ctx.summary.already[KIND] += 1
            else:
                existing.add((holder, GRANTS[name]))
                new.append(GlobalPermissionGrant(**{f"{holder_kind}_id": holder}, permission=GRANTS[name]))
                ctx.ids.add(id_kind, row[pk_col], holder)
    GlobalPermissionGrant.objects.bulk_create(new)
    ctx.summary.imported[KIND] += len(new)
    ctx.summary.leave(
        "global permissions granting nothing",
        left["none"],
        "a 'none' or 'false' grant gave nothing beyond the default in Kallithea either",
    )
    ctx.progress.finish()


def _defaults(ctx: ImportContext, perms: list[str], left: Counter) -> None:
    ctx.progress.advance()
    default = next((r for r in ctx.db.rows("users", "user_id") if r["user_id"] == ctx.default_user_id), None)
    if ctx.ids.has("global_settings", MARKER):
        ctx.summary.already["default permissions"] += 1
    else:
        # Saved and in effect in this process at once: later steps and the
        # caller ask the permission function.
        save_app_settings(**build_defaults(default is None or truthy(default["active"]), perms))
        ctx.ids.add("global_settings", MARKER, 1)
        ctx.summary.imported["default permissions"] += 1
    known = {*DEFAULTS.values(), *GRANTS, *NOTHING}
    rest = sorted(
        p
        for p in perms
        if p not in known
        and not level(p, "group")
        and not level(p, "usergroup")
        and not p.startswith(ELSEWHERE)
    )
    ctx.summary.leave("default global permissions", len(rest), "Lindos has no place for " + ", ".join(rest))
