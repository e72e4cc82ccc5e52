"""``/REPO/pull-request`` (open, or closed with ``?closed=1``) and
``/my_pullrequests`` (the user's own, and those awaiting their review:
open, they are a reviewer, and their status is neither approved nor not
approved).  Only pull requests into repositories the user can read are
listed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lindos.repos.permissions import get_repository_or_404, readable_repositories
from lindos.review.models import PullRequest, Status
from lindos.review.statuses import overall_status, reviewer_votes


def rows(prs, user=None) -> list[dict]:
    out = []
    for pr in prs:
        votes = reviewer_votes(pr)
        mine = next((v.status for v in votes if user and v.user_id == user.pk), "")
        out.append({"pr": pr, "overall": overall_status([v.status for v in votes]), "my_status": mine})
    return out


def _base():
    return PullRequest.objects.select_related("owner", "target_repo", "source_repo")


def pull_request_list(request, repo_name: str):
    repo = get_repository_or_404(request, repo_name)
    closed = request.GET.get("closed") == "1"
    prs = _base().filter(target_repo=repo, state=PullRequest.CLOSED if closed else PullRequest.OPEN)
    return render(
        request,
        "review/pull_request_list.html",
        {"repo": repo, "active_tab": "pullrequests", "closed": closed, "rows": rows(prs[:500])},
    )


@login_required
def my_pull_requests(request):
    user = request.user
    closed = request.GET.get("closed") == "1"
    readable = readable_repositories(user)
    state = PullRequest.CLOSED if closed else PullRequest.OPEN
    mine = _base().filter(owner=user, state=state, target_repo__in=readable)
    reviewing = rows(
        _base().filter(reviewers__user=user, state=PullRequest.OPEN, target_repo__in=readable).distinct(),
        user,
    )
    awaiting = [r for r in reviewing if r["my_status"] not in (Status.APPROVED, Status.REJECTED)]
    return render(
        request,
        "review/my_pull_requests.html",
        {"closed": closed, "mine": rows(mine[:500]), "awaiting": awaiting},
    )
