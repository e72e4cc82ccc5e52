"""Pull requests, with the numbers they had in Kallithea, and their reviewers.

``#N`` is the row's id in both, so ``/REPO/pull-request/N/...`` links and
mail threads keep resolving.  Should a number already be used in Lindos
(an import with ``--merge``), the pull request gets a new one, listed in
the summary.  Kallithea made a new pull request for each new iteration, so
each becomes one here too, with one iteration.
"""

from __future__ import annotations

from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.steps.ids import free_ids, reset_sequences
from lindos.kallithea_import.timestamps import kept_timestamps
from lindos.review.models import PullRequest, PullRequestIteration, PullRequestReviewer

KIND = "pull requests"
REF_KINDS = {"branch": "branch", "book": "bookmark", "tag": "tag", "rev": "rev"}


def parse_ref(ref: str) -> tuple[str, str, str]:
    """Kallithea's ``type:name:revision`` as (kind, name, revision)."""
    kind, name, rev = (ref.split(":", 2) + ["", ""])[:3]
    return REF_KINDS.get(kind, "rev"), name, rev


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("pull_requests", "pull_request_id")
    ctx.progress.start(KIND, len(rows))
    rows = [r for r in rows if _wanted(ctx, r)]
    free = free_ids(PullRequest, [r["pull_request_id"] for r in rows])
    keep = [r for r in rows if r["pull_request_id"] in free]
    renumber = [r for r in rows if r["pull_request_id"] not in free]
    with kept_timestamps(PullRequest, PullRequestIteration):
        PullRequest.objects.bulk_create(
            [_pull_request(ctx, r, r["pull_request_id"]) for r in keep], batch_size=1000
        )
        for r in keep:
            ctx.ids.add("pull_request", r["pull_request_id"], r["pull_request_id"])
        reset_sequences(PullRequest)
        for r in renumber:
            pr = _pull_request(ctx, r, None)
            pr.save(force_insert=True)
            ctx.ids.add("pull_request", r["pull_request_id"], pr.pk)
            ctx.summary.skip(
                KIND, f"#{r['pull_request_id']}", f"number in use in Lindos: imported as #{pr.pk}"
            )
        PullRequestIteration.objects.bulk_create([_iteration(ctx, r) for r in rows], batch_size=1000)
    ctx.progress.advance(len(rows))
    ctx.summary.imported[KIND] += len(rows)
    _reviewers(ctx)
    ctx.progress.finish()


def _wanted(ctx: ImportContext, row: dict) -> bool:
    number = row["pull_request_id"]
    if ctx.ids.has("pull_request", number):
        ctx.summary.already[KIND] += 1
        return False
    missing = [
        what
        for what, kind, old in (
            ("owner", "user", row["user_id"]),
            ("source repository", "repository", row["org_repo_id"]),
            ("target repository", "repository", row["other_repo_id"]),
        )
        if ctx.ids.get(kind, old) is None
    ]
    if missing:
        ctx.summary.skip(KIND, f"#{number}", f"its {' and '.join(missing)} not imported")
        return False
    return True


def _pull_request(ctx: ImportContext, row: dict, pk: int | None) -> PullRequest:
    source_kind, source_name, source_rev = parse_ref(row["org_ref"])
    _, target_name, _ = parse_ref(row["other_ref"])
    return PullRequest(
        pk=pk,
        title=(row["title"] or "")[:255],
        description=row["description"] or "",
        owner_id=ctx.ids.get("user", row["user_id"]),
        source_repo_id=ctx.ids.get("repository", row["org_repo_id"]),
        source_ref_kind=source_kind,
        source_ref=(source_rev if source_kind == "rev" else source_name)[:255],
        target_repo_id=ctx.ids.get("repository", row["other_repo_id"]),
        target_branch=target_name[:255],
        state=PullRequest.CLOSED if row["status"] == "closed" else PullRequest.OPEN,
        created_at=aware(row["created_on"]),
        updated_at=aware(row["updated_on"]) or aware(row["created_on"]),
    )


def _iteration(ctx: ImportContext, row: dict) -> PullRequestIteration:
    _, _, source_rev = parse_ref(row["org_ref"])
    # Kallithea keeps the common ancestor in place of the target's revision.
    _, _, ancestor = parse_ref(row["other_ref"])
    revisions = [r for r in (row["revisions"] or "").split(":") if r]
    return PullRequestIteration(
        pull_request_id=ctx.ids.get("pull_request", row["pull_request_id"]),
        number=1,
        source_rev=source_rev,
        target_rev=ancestor,
        base_rev=ancestor,
        revisions=revisions,
        created_at=aware(row["created_on"]),
    )


def _reviewers(ctx: ImportContext) -> None:
    rows = ctx.db.rows("pull_request_reviewers", "pull_requests_reviewers_id")
    existing = set(PullRequestReviewer.objects.values_list("pull_request_id", "user_id"))
    new = []
    for row in rows:
        old = row["pull_requests_reviewers_id"]
        if ctx.ids.has("reviewer", old):
            continue
        pr, user = ctx.ids.get("pull_request", row["pull_request_id"]), ctx.ids.get("user", row["user_id"])
        if pr is None or user is None:
            ctx.summary.skip(
                "reviewers",
                f"#{row['pull_request_id']}, user #{row['user_id']}",
                "its pull request or user was not imported",
            )
            continue
        if (pr, user) not in existing:
            existing.add((pr, user))
            new.append((old, PullRequestReviewer(pull_request_id=pr, user_id=user)))
    PullRequestReviewer.objects.bulk_create([r for _, r in new], batch_size=2000)
    made = {
        (p, u): pk
        for pk, p, u in PullRequestReviewer.objects.values_list("pk", "pull_request_id", "user_id").iterator()
    }
    for old, r in new:
        ctx.ids.add("reviewer", old, made[(r.pull_request_id, r.user_id)])
    ctx.summary.imported["reviewers"] += len(new)
