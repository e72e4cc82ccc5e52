"""Grants to users and to user groups, on repositories, repository groups
and user groups: Kallithea's ``repo_to_perm``, ``user_repo_group_to_perm``,
``users_group_repo_to_perm``, ``users_group_repo_group_to_perm``,
``user_user_group_to_perm`` and ``user_group_user_group_to_perm`` (who may
see or manage a user group), one table each in ``TABLES``, all imported by
the one loop of ``_import``.

The default user's rows became each repository's and each group's default
permission (``repositories``, ``repo_groups``, ``user_groups``); rows whose
holder or target was not imported are skipped, and so is a user group's
grant on itself.  Kallithea gave the creator of a user group an admin row
on it: it comes as a grant, besides the owner's own admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindos.accounts.models import UserGroupPermission, UserGroupUserGroupPermission
from lindos.kallithea_import.context import ImportContext
from lindos.kallithea_import.permission_levels import level, permission_names
from lindos.repos.models import (
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    RepositoryPermission,
    RepositoryUserGroupPermission,
)

KIND = "permissions"


@dataclass(frozen=True)
class Side:
    """Who holds a grant, or what it is on."""

    column: str  # Kallithea's column
    kind: str  # the id-map kind of the rows it points at, and the label's noun
    field: str  # the Lindos model's field
    prefix: str = ""  # of a target: the first part of its permission names


USER = Side("user_id", "user", "user_id")
USER_GROUP = Side("users_group_id", "user_group", "user_group_id")
REPOSITORY = Side("repository_id", "repository", "repository_id", "repository")
REPO_GROUP = Side("group_id", "repo_group", "group_id", "group")
# Grants on user groups name their columns differently.
USER_GROUP_HOLDER = Side("user_group_id", "user_group", "user_group_id")
USER_GROUP_TARGET = Side("user_group_id", "user_group", "target_user_group_id", "usergroup")
TARGET_USER_GROUP = Side("target_user_group_id", "user_group", "target_user_group_id", "usergroup")


@dataclass(frozen=True)
class Grants:
    """One Kallithea grant table and the Lindos model it fills."""

    kind: str  # summary line
    table: str
    pk: str
    holder: Side
    target: Side
    model: type
    # The id-map kind (default: the table; per table, as the ids of each
    # start at 1).
    id_kind: str = ""
    # Users' repository grants have always taken any "KIND.LEVEL" name.
    any_prefix: bool = False
    # Why a row is skipped: its holder or target was not imported; its
    # holder has a grant there in Lindos already.
    missing: str = "its {target} or holder was not imported"
    taken: str = "a permission for them is there already in Lindos"


TABLES = (
    Grants(
        "repository permissions",
        "repo_to_perm",
        "repo_to_perm_id",
        USER,
        REPOSITORY,
        RepositoryPermission,
        id_kind="repo_permission",
        any_prefix=True,
        missing="its repository or user was not imported",
        taken="the user already has a permission there in Lindos",
    ),
    Grants(
        "repository group permissions",
        "user_repo_group_to_perm",
        "group_to_perm_id",
        USER,
        REPO_GROUP,
        RepoGroupPermission,
    ),
    Grants(
        "user group permissions on repositories",
        "users_group_repo_to_perm",
        "users_group_to_perm_id",
        USER_GROUP,
        REPOSITORY,
        RepositoryUserGroupPermission,
    ),
    Grants(
        "user group permissions on repository groups",
        "users_group_repo_group_to_perm",
        "users_group_repo_group_to_perm_id",
        USER_GROUP,
        REPO_GROUP,
        RepoGroupUserGroupPermission,
    ),
    Grants(
        "user permissions on user groups",
        "user_user_group_to_perm",
        "user_user_group_to_perm_id",
        USER,
        USER_GROUP_TARGET,
        UserGroupPermission,
    ),
    Grants(
        "user group permissions on user groups",
        "user_group_user_group_to_perm",
        "user_group_user_group_to_perm_id",
        USER_GROUP_HOLDER,
        TARGET_USER_GROUP,
        UserGroupUserGroupPermission,
    ),
)


def run(ctx: ImportContext) -> None:
    names = permission_names(ctx)
    rows = [ctx.db.rows(g.table, g.pk) for g in TABLES]
    ctx.progress.start(KIND, sum(len(r) for r in rows))
    for grants, table_rows in zip(TABLES, rows):
        _import(ctx, grants, table_rows, names)
    ctx.progress.finish()


def _import(ctx: ImportContext, g: Grants, rows: list, names: dict[int, str]) -> None:
    holder_side, target_side = g.holder, g.target
    id_kind, prefix = g.id_kind or g.table, None if g.any_prefix else target_side.prefix
    existing = set(g.model.objects.values_list(holder_side.field, target_side.field))
    new = []
    for row in rows:
        ctx.progress.advance()
        h_old, t_old = row[holder_side.column], row[target_side.column]
        if holder_side is USER and h_old == ctx.default_user_id:
            continue
        old_id = row[g.pk]
        if ctx.ids.has(id_kind, old_id):
            ctx.summary.already[g.kind] += 1
            continue
        t_noun = target_side.kind.replace("_", " ")
        label = f"{t_noun} #{t_old}, {holder_side.kind.replace('_', ' ')} #{h_old}"
        holder, target = ctx.ids.get(holder_side.kind, h_old), ctx.ids.get(target_side.kind, t_old)
        lvl = level(names.get(row["permission_id"], ""), prefix)
        if holder is None or target is None:
            ctx.summary.skip(g.kind, label, g.missing.format(target=t_noun))
            continue
        if lvl is None:
            ctx.summary.skip(g.kind, label, f"unknown permission {names.get(row['permission_id'])!r}")
            continue
        if holder_side.kind == target_side.kind and holder == target:
            ctx.summary.skip(g.kind, label, "a group's permission on itself")
            continue
        if (holder, target) in existing:
            ctx.summary.skip(g.kind, label, g.taken)
            continue
        existing.add((holder, target))
        new.append(
            (old_id, g.model(**{holder_side.field: holder, target_side.field: target, "permission": lvl}))
        )
    g.model.objects.bulk_create([p for _, p in new], batch_size=2000)
    made = {
        (h, t): pk
        # The whole table: one query, whatever the number of grants.
        for pk, h, t in g.model.objects.values_list("pk", holder_side.field, target_side.field).iterator()
    }
    for old_id, p in new:
        ctx.ids.add(id_kind, old_id, made[(getattr(p, holder_side.field), getattr(p, target_side.field))])
    ctx.summary.imported[g.kind] += len(new)
