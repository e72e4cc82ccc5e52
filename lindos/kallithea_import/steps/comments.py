"""Changeset and pull request comments, general and inline, with their ids.

Kallithea's links to a comment are ``/REPO/changeset/REV#comment-ID`` and
``/REPO/pull-request/N/...#comment-ID``: the fragment never reaches the
server, so the id itself must stay.  It does wherever it is free; a comment
whose id is taken in Lindos (``--merge``) gets a new one, listed in the
summary and kept in the id map.
"""

from __future__ import annotations

import re

from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.steps.ids import free_ids, reset_sequences
from lindos.kallithea_import.steps.pull_requests import parse_ref
from lindos.kallithea_import.timestamps import kept_timestamps
from lindos.review.models import Comment, PullRequest

KIND = "comments"
LINE = re.compile(r"([on])([0-9]+)\Z")


def parse_line(line_no: str | None) -> tuple[int | None, str]:
    """Kallithea's ``n12`` / ``o5`` (new or old side of the diff)."""
    m = LINE.match((line_no or "").strip())
    if not m:
        return None, ""
    return int(m.group(2)), "new" if m.group(1) == "n" else "old"


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("changeset_comments", "comment_id")
    ctx.progress.start(KIND, len(rows))
    pr_rows = {r["pull_request_id"]: r for r in ctx.db.rows("pull_requests", "pull_request_id")}
    targets = dict(PullRequest.objects.values_list("pk", "target_repo_id"))
    wanted = []
    for row in rows:
        why = _refusal(ctx, row)
        if why == "already":
            ctx.summary.already[KIND] += 1
        elif why:
            ctx.summary.skip(KIND, f"#{row['comment_id']}", why)
        else:
            wanted.append(row)
    free = free_ids(Comment, [r["comment_id"] for r in wanted])
    batch = []
    with kept_timestamps(Comment):
        for row in wanted:
            keep = row["comment_id"] in free
            comment = _comment(ctx, row, pr_rows, targets, row["comment_id"] if keep else None)
            if keep:
                batch.append(comment)
                ctx.ids.add("comment", row["comment_id"], row["comment_id"])
                if len(batch) >= 2000:
                    Comment.objects.bulk_create(batch)
                    ctx.progress.advance(len(batch))
                    batch = []
            else:
                comment.save(force_insert=True)
                ctx.ids.add("comment", row["comment_id"], comment.pk)
                ctx.summary.skip(
                    KIND, f"#{row['comment_id']}", f"id in use in Lindos: imported as #{comment.pk}"
                )
        Comment.objects.bulk_create(batch)
    reset_sequences(Comment)
    ctx.summary.imported[KIND] += len(wanted)
    ctx.progress.finish()


def _refusal(ctx: ImportContext, row: dict) -> str:
    if ctx.ids.has("comment", row["comment_id"]):
        return "already"
    if ctx.ids.get("user", row["user_id"]) is None:
        return f"its author (user #{row['user_id']}) was not imported"
    if row["pull_request_id"] is not None:
        if ctx.ids.get("pull_request", row["pull_request_id"]) is None:
            return f"its pull request #{row['pull_request_id']} was not imported"
    elif ctx.ids.get("repository", row["repo_id"]) is None:
        return f"its repository #{row['repo_id']} was not imported"
    elif not row["revision"]:
        return "neither a changeset nor a pull request"
    return ""


def _comment(ctx: ImportContext, row: dict, pr_rows: dict, targets: dict, pk: int | None) -> Comment:
    pr = ctx.ids.get("pull_request", row["pull_request_id"])
    if pr is not None:
        repo = targets[pr]
        revision = row["revision"] or parse_ref(pr_rows[row["pull_request_id"]]["org_ref"])[2]
    else:
        repo = ctx.ids.get("repository", row["repo_id"])
        revision = row["revision"]
    path = (row["f_path"] or "")[:1000]
    line, side = parse_line(row["line_no"]) if path else (None, "")
    return Comment(
        pk=pk,
        repository_id=repo,
        revision=revision or "",
        pull_request_id=pr,
        author_id=ctx.ids.get("user", row["user_id"]),
        text=row["text"] or "",
        path=path,
        line=line,
        side=side,
        created_at=aware(row["created_on"]),
    )
