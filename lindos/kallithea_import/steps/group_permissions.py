"""Grants that involve groups: users' permissions on repository groups
(``user_repo_group_to_perm``), user groups' permissions on repositories
(``users_group_repo_to_perm``) and on repository groups
(``users_group_repo_group_to_perm``), and users' and user groups'
permissions on user groups (``user_user_group_to_perm``,
``user_group_user_group_to_perm``: who may see or manage a group).

The default user's rows on repository groups and on user groups became
each group's default permission (``repo_groups``, ``user_groups``).
Kallithea gave the creator of a user group an admin row on it: it comes as
a grant, besides the owner's own admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindos.accounts.models import UserGroupPermission, UserGroupUserGroupPermission
from lindos.kallithea_import.context import ImportContext
from lindos.kallithea_import.steps.repo_groups import level, permission_names
from lindos.repos.models import (
    RepoGroupPermission,
    RepoGroupUserGroupPermission,
    RepositoryUserGroupPermission,
)

KIND = "group permissions"


@dataclass(frozen=True)
class Grants:
    """One Kallithea grant table and the Lindos model it fills."""

    kind: str  # summary line and id-map kind
    table: str
    pk: str
    holder: tuple[str, str, str]  # Kallithea column, id-map kind, Lindos field
    target: tuple[str, str, str]
    prefix: str  # "repository" or "group": the permission names' first part
    model: type


TABLES = (
    Grants(
        "repository group permissions",
        "user_repo_group_to_perm",
        "group_to_perm_id",
        ("user_id", "user", "user_id"),
        ("group_id", "repo_group", "group_id"),
        "group",
        RepoGroupPermission,
    ),
    Grants(
        "user group permissions on repositories",
        "users_group_repo_to_perm",
        "users_group_to_perm_id",
        ("users_group_id", "user_group", "user_group_id"),
        ("repository_id", "repository", "repository_id"),
        "repository",
        RepositoryUserGroupPermission,
    ),
    Grants(
        "user group permissions on repository groups",
        "users_group_repo_group_to_perm",
        "users_group_repo_group_to_perm_id",
        ("users_group_id", "user_group", "user_group_id"),
        ("group_id", "repo_group", "group_id"),
        "group",
        RepoGroupUserGroupPermission,
    ),
    Grants(
        "user permissions on user groups",
        "user_user_group_to_perm",
        "user_user_group_to_perm_id",
        ("user_id", "user", "user_id"),
        ("user_group_id", "user_group", "target_user_group_id"),
        "usergroup",
        UserGroupPermission,
    ),
    Grants(
        "user group permissions on user groups",
        "user_group_user_group_to_perm",
        "user_group_user_group_to_perm_id",
        ("user_group_id", "user_group", "user_group_id"),
        ("target_user_group_id", "user_group", "target_user_group_id"),
        "usergroup",
        UserGroupUserGroupPermission,
    ),
)


def run(ctx: ImportContext) -> None:
    names = permission_names(ctx)
    ctx.progress.start(KIND, len(TABLES))
    for grants in TABLES:
        ctx.progress.advance()
        _import(ctx, grants, names)
    ctx.progress.finish()


def _import(ctx: ImportContext, g: Grants, names: dict[int, str]) -> None:
    h_col, h_kind, h_field = g.holder
    t_col, t_kind, t_field = g.target
    id_kind = g.table  # one id-map kind per table: the ids of each start at 1
    existing = set(g.model.objects.values_list(h_field, t_field))
    new = []
    for row in ctx.db.rows(g.table, g.pk):
        if h_kind == "user" and row[h_col] == ctx.default_user_id:
            continue
        old_id = row[g.pk]
        if ctx.ids.has(id_kind, old_id):
            ctx.summary.already[g.kind] += 1
            continue
        label = f"{t_kind.replace('_', ' ')} #{row[t_col]}, {h_kind.replace('_', ' ')} #{row[h_col]}"
        holder, target = ctx.ids.get(h_kind, row[h_col]), ctx.ids.get(t_kind, row[t_col])
        lvl = level(names.get(row["permission_id"], ""), g.prefix)
        if holder is None or target is None:
            ctx.summary.skip(g.kind, label, f"its {t_kind.replace('_', ' ')} or holder was not imported")
            continue
        if lvl is None:
            ctx.summary.skip(g.kind, label, f"unknown permission {names.get(row['permission_id'])!r}")
            continue
        if h_kind == t_kind and holder == target:
            ctx.summary.skip(g.kind, label, "a group's permission on itself")
            continue
        if (holder, target) in existing:
            ctx.summary.skip(g.kind, label, "a permission for them is there already in Lindos")
            continue
        existing.add((holder, target))
        new.append((old_id, g.model(**{h_field: holder, t_field: target, "permission": lvl})))
    g.model.objects.bulk_create([p for _, p in new], batch_size=2000)
    made = {(h, t): pk for pk, h, t in g.model.objects.values_list("pk", h_field, t_field).iterator()}
    for old_id, p in new:
        ctx.ids.add(id_kind, old_id, made[(getattr(p, h_field), getattr(p, t_field))])
    ctx.summary.imported[g.kind] += len(new)
