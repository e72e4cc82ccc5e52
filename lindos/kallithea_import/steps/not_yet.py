"""Kallithea objects Lindos has no place for yet, counted in the summary.

When Lindos gains one of these (user groups, repository groups, their
permissions, following, gists...), its import becomes a step of its own in
``STEPS`` and its line leaves this list.
"""

from __future__ import annotations

from lindos.kallithea_import.context import ImportContext

KIND = "not imported"

#: table -> (what it holds, why it is not imported)
WAITING = {
    "users_groups": ("user groups", "Lindos has no user groups yet"),
    "users_groups_members": ("user group members", "Lindos has no user groups yet"),
    "groups": (
        "repository groups",
        "Lindos has no repository groups yet (repositories keep their full path)",
    ),
    "users_group_repo_to_perm": ("user group permissions on repositories", "Lindos has no user groups yet"),
    "user_repo_group_to_perm": (
        "user permissions on repository groups",
        "Lindos has no repository groups yet",
    ),
    "users_group_repo_group_to_perm": (
        "user group permissions on repository groups",
        "Lindos has no user or repository groups yet",
    ),
    "user_user_group_to_perm": ("user permissions on user groups", "Lindos has no user groups yet"),
    "user_group_user_group_to_perm": (
        "user group permissions on user groups",
        "Lindos has no user groups yet",
    ),
    "users_group_to_perm": ("user groups' global permissions", "Lindos has no user groups yet"),
    "user_followings": ("followed repositories and users", "Lindos has no following yet"),
    "gists": ("gists", "Lindos has no gists"),
    "user_ip_map": ("allowed IP addresses", "Lindos has no per-user IP restrictions"),
    "repositories_fields": ("extra repository fields", "Lindos has no extra repository fields"),
    "statistics": ("repository statistics", "Lindos computes its own"),
}


def run(ctx: ImportContext) -> None:
    ctx.progress.start(KIND, len(WAITING))
    for table, (what, why) in WAITING.items():
        ctx.progress.advance()
        ctx.summary.leave(what, ctx.db.count(table), why)
    # Global permissions of users other than the default user (create, fork...).
    others = [
        r for r in ctx.db.rows("user_to_perm", "user_to_perm_id") if r["user_id"] != ctx.default_user_id
    ]
    ctx.summary.leave(
        "users' global permissions", len(others), "Lindos has no per-user global permissions yet"
    )
    ctx.progress.finish()
