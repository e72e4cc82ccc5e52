"""Per-user permissions on repositories (``repo_to_perm``).

The default user's rows became each repository's default permission
(``repositories``); rows of users that were not imported are skipped.
"""

from __future__ import annotations

from lindos.kallithea_import.context import ImportContext
from lindos.repos.models import RepositoryPermission

KIND = "repository permissions"
LEVELS = ("none", "read", "write", "admin")


def run(ctx: ImportContext) -> None:
    names = {r["permission_id"]: r["permission_name"] for r in ctx.db.rows("permissions", "permission_id")}
    rows = ctx.db.rows("repo_to_perm", "repo_to_perm_id")
    ctx.progress.start(KIND, len(rows))
    existing = set(RepositoryPermission.objects.values_list("repository_id", "user_id"))
    new = []
    for row in rows:
        ctx.progress.advance()
        if row["user_id"] == ctx.default_user_id:
            continue
        old_id = row["repo_to_perm_id"]
        if ctx.ids.has("repo_permission", old_id):
            ctx.summary.already[KIND] += 1
            continue
        label = f"repository #{row['repository_id']}, user #{row['user_id']}"
        repo, user = ctx.ids.get("repository", row["repository_id"]), ctx.ids.get("user", row["user_id"])
        level = names.get(row["permission_id"], "").partition(".")[2]
        if repo is None or user is None:
            ctx.summary.skip(KIND, label, "its repository or user was not imported")
            continue
        if level not in LEVELS:
            ctx.summary.skip(KIND, label, f"unknown permission {names.get(row['permission_id'])!r}")
            continue
        if (repo, user) in existing:
            ctx.summary.skip(KIND, label, "the user already has a permission there in Lindos")
            continue
        existing.add((repo, user))
        new.append((old_id, RepositoryPermission(repository_id=repo, user_id=user, permission=level)))
    RepositoryPermission.objects.bulk_create([p for _, p in new], batch_size=2000)
    made = {
        (r, u): pk
        # The whole table: one query, whatever the number of repositories.
        for pk, r, u in RepositoryPermission.objects.values_list("pk", "repository_id", "user_id").iterator()
    }
    for old_id, p in new:
        ctx.ids.add("repo_permission", old_id, made[(p.repository_id, p.user_id)])
    ctx.summary.imported[KIND] += len(new)
    ctx.progress.finish()
