"""Followed repositories and users (``user_followings``), with the time
the following began."""

from __future__ import annotations

from lindos.activity.models import UserFollowing
from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.timestamps import kept_timestamps

KIND = "followings"


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("user_followings", "user_following_id")
    ctx.progress.start(KIND, len(rows))
    existing = set(UserFollowing.objects.values_list("user_id", "follows_repository_id", "follows_user_id"))
    new = []
    for row in rows:
        ctx.progress.advance()
        old_id = row["user_following_id"]
        if ctx.ids.has("following", old_id):
            ctx.summary.already[KIND] += 1
            continue
        user = ctx.ids.get("user", row["user_id"])
        repo = ctx.ids.get("repository", row["follows_repository_id"])
        other = ctx.ids.get("user", row["follows_user_id"])
        label = f"#{old_id} of user #{row['user_id']}"
        if user is None or (repo is None) == (other is None):
            ctx.summary.skip(KIND, label, "its user, or the repository or user it follows, was not imported")
            continue
        key = (user, repo, other)
        if key not in existing:
            existing.add(key)
            new.append(
                UserFollowing(
                    user_id=user,
                    follows_repository_id=repo,
                    follows_user_id=other,
                    follows_from=aware(row["follows_from"]),
                )
            )
        # Nothing links to a following by id: the map records the follower.
        ctx.ids.add("following", old_id, user)
    with kept_timestamps(UserFollowing):
        UserFollowing.objects.bulk_create(new, batch_size=2000)
    ctx.summary.imported[KIND] += len(new)
    ctx.progress.finish()
