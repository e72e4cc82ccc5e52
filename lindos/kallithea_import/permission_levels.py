"""Kallithea's permission names (``repository.write``, ``group.read``,
``usergroup.admin``) as Lindos's levels, and what its default user (that
is, everyone) could do with each object: one reading shared by the steps
that import repositories, repository groups, user groups and grants."""

from __future__ import annotations

from lindos.kallithea_import.context import ImportContext

LEVELS = ("none", "read", "write", "admin")


def permission_names(ctx: ImportContext) -> dict[int, str]:
    return {r["permission_id"]: r["permission_name"] for r in ctx.db.rows("permissions", "permission_id")}


def level(name: str, prefix: str | None) -> str | None:
    """``repository.write`` / ``group.read`` as Lindos's level; None if it
    is not one, or (unless ``prefix`` is None) not of ``prefix``."""
    kind, _, lvl = (name or "").partition(".")
    return lvl if (prefix is None or kind == prefix) and lvl in LEVELS else None


def default_levels(
    ctx: ImportContext, table: str, pk: str, target: str, prefix: str | None
) -> dict[int, str]:
    """Kallithea id (column ``target`` of ``table``) -> the default user's
    level there, from its rows in ``table``."""
    names = permission_names(ctx)
    out = {}
    for r in ctx.db.rows(table, pk):
        lvl = level(names.get(r["permission_id"], ""), prefix)
        if r["user_id"] == ctx.default_user_id and lvl:
            out[r[target]] = lvl
    return out
