"""The activity journal (``user_logs``): pushes, creations and forks.

Kallithea logged a push as ``push:REV,REV,...`` without the refs that
moved, so an imported push names its changesets in ``detail`` and has no
ref changes.  Kallithea's other journal actions (comments, pulls, settings
changes...) have no kind of entry in Lindos's journal: they are counted by
action in the summary.
"""

from __future__ import annotations

from collections import Counter

from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.timestamps import kept_timestamps
from lindos.repos.models import JournalAction, JournalEntry

KIND = "journal entries"


def build_entry(action: str) -> tuple[str, str] | None:
    """(Lindos action, detail) for a Kallithea journal action, or None."""
    name, _, arg = action.partition(":")
    if name in ("push", "push_local", "push_remote"):
        revs = [r for r in arg.split(",") if r]
        detail = f"{len(revs)} changeset{'s' if len(revs) != 1 else ''}: " + ", ".join(r[:12] for r in revs)
        return JournalAction.PUSH, detail[:255]
    if name in ("user_created_repo", "admin_created_repo"):
        return JournalAction.CREATE, "imported from Kallithea"
    if name in ("user_forked_repo", "user_created_fork"):
        return JournalAction.FORK, arg[:255]
    return None


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("user_logs", "user_log_id")
    ctx.progress.start(KIND, len(rows))
    left = Counter()
    new = []
    for row in rows:
        ctx.progress.advance()
        old = row["user_log_id"]
        if ctx.ids.has("journal", old):
            ctx.summary.already[KIND] += 1
            continue
        mapped = build_entry(row["action"] or "")
        repo = ctx.ids.get("repository", row["repository_id"])
        if mapped is None:
            left[(row["action"] or "").partition(":")[0]] += 1
            continue
        if repo is None:
            left["(for repositories not imported)"] += 1
            continue
        action, detail = mapped
        new.append(
            (
                old,
                JournalEntry(
                    repository_id=repo,
                    user_id=ctx.ids.get("user", row["user_id"]),
                    action=action,
                    detail=detail,
                    created_at=aware(row["action_date"]),
                ),
            )
        )
    with kept_timestamps(JournalEntry):
        made = JournalEntry.objects.bulk_create([e for _, e in new], batch_size=2000)
    if made and made[0].pk is None:  # MySQL: ids are not returned; read them back in order
        pks = list(JournalEntry.objects.order_by("-pk").values_list("pk", flat=True)[: len(made)])[::-1]
    else:
        pks = [e.pk for e in made]
    for (old, _), pk in zip(new, pks):
        ctx.ids.add("journal", old, pk)
    ctx.summary.imported[KIND] += len(new)
    for action, count in sorted(left.items()):
        ctx.summary.leave(
            f"journal: {action}", count, "Lindos's journal records pushes, creations and forks only"
        )
    ctx.progress.finish()
