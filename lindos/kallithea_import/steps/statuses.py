"""Review statuses with their history (``changeset_statuses``).

Kallithea numbers a user's votes on one revision by ``version``, 0 being the
current one; Lindos counts a user's latest row.  Rows are written oldest
first, so the order of ids is the order of the votes.
"""

from __future__ import annotations

from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.steps.pull_requests import parse_ref
from lindos.kallithea_import.timestamps import kept_timestamps
from lindos.review.models import ChangesetStatus, Status

KIND = "review statuses"


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("changeset_statuses", "changeset_status_id")
    ctx.progress.start(KIND, len(rows))
    pr_rows = {r["pull_request_id"]: r for r in ctx.db.rows("pull_requests", "pull_request_id")}
    rows.sort(key=lambda r: (-(r["version"] or 0), str(r["modified_at"]), r["changeset_status_id"]))
    new = []
    for row in rows:
        ctx.progress.advance()
        old = row["changeset_status_id"]
        if ctx.ids.has("status", old):
            ctx.summary.already[KIND] += 1
            continue
        label = f"#{old}"
        repo, user = ctx.ids.get("repository", row["repo_id"]), ctx.ids.get("user", row["user_id"])
        pr = ctx.ids.get("pull_request", row["pull_request_id"])
        revision = row["revision"]
        if not revision and row["pull_request_id"] in pr_rows:
            revision = parse_ref(pr_rows[row["pull_request_id"]]["org_ref"])[2]
        if repo is None or user is None or (row["pull_request_id"] is not None and pr is None):
            ctx.summary.skip(KIND, label, "its repository, user or pull request was not imported")
            continue
        if row["status"] not in Status.values:
            ctx.summary.skip(KIND, label, f"unknown status {row['status']!r}")
            continue
        if not revision:
            ctx.summary.skip(KIND, label, "no revision")
            continue
        new.append(
            (
                old,
                ChangesetStatus(
                    repository_id=repo,
                    revision=revision,
                    pull_request_id=pr,
                    user_id=user,
                    status=row["status"],
                    comment_id=ctx.ids.get("comment", row["changeset_comment_id"]),
                    created_at=aware(row["modified_at"]),
                ),
            )
        )
    with kept_timestamps(ChangesetStatus):
        made = ChangesetStatus.objects.bulk_create([s for _, s in new], batch_size=2000)
    if made and made[0].pk is None:  # MySQL: ids are not returned; read them back in order
        pks = list(ChangesetStatus.objects.order_by("-pk").values_list("pk", flat=True)[: len(made)])[::-1]
    else:
        pks = [s.pk for s in made]
    for (old, _), pk in zip(new, pks):
        ctx.ids.add("status", old, pk)
    ctx.summary.imported[KIND] += len(new)
    ctx.progress.finish()
