"""``/REPO/pull-request/N[/SLUG]`` (creating: ``pull_request_new``).

The pull request page shows one iteration (the latest, or ``?iteration=K``):
its changesets, the combined diff, the comments and votes, and, for those
allowed, the forms.  All forms post to the page itself with an ``action``
(``comment``, ``edit``, ``reviewers``): a refusal shows the page again with
the form as typed (status 400), success goes back to the page.  Who may do
what: any reader comments; reviewers, the owner and admins vote
(Kallithea's rule); the owner or a repository admin edits, changes reviewers
and closes.  The actions enforce these rules; the page only hides forms.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from lindos.activity.log import client_address, record_action
from lindos.repos.permissions import get_repository_or_404
from lindos.review import compare, inline
from lindos.review.actions import (
    ReviewRefused,
    can_set_status,
    do_add_reviewers,
    do_comment_on_pull_request,
    do_edit_pull_request,
    do_remove_reviewer,
)
from lindos.review.actions.pull_requests import can_manage
from lindos.review.facts import changeset_url
from lindos.review.forms import EditPullRequestForm, PullRequestCommentForm, ReviewersForm
from lindos.review.models import Comment, PullRequest
from lindos.review.statuses import overall_status, reviewer_votes
from lindos.review.views.common import comment_rows, split_inline, validation_message
from lindos.vcs.errors import RevisionNotFound, VCSError

# -- showing ------------------------------------------------------------------


def _diff_files(pr, iteration) -> list:
    """The iteration's combined diff, parsed and highlighted (cached: an
    iteration never changes)."""
    from lindos.repos.browse.diffs import highlight_file_diff, parse_diff, render_rows

    key = f"lindos:prdiff:1:{pr.target_repo.kind}:{iteration.base_rev}:{iteration.source_rev}"
    parsed = cache.get(key)
    if parsed is None:
        parsed = parse_diff(compare.iteration_diff(pr, iteration))
        for fd in parsed.files:
            highlight_file_diff(fd)
            fd.rows_html = render_rows(fd)
        cache.set(key, parsed)
    return parsed


def _changeset_rows(pr, iteration) -> list[dict]:
    rows = []
    for cs in compare.iteration_changesets(pr, iteration):
        rows.append(
            {
                "short_id": cs.short_id,
                "summary": cs.summary,
                "author": cs.author_name,
                "date": cs.date,
                "url": changeset_url(pr.source_repo.name, cs.id),
            }
        )
    return rows


def _forms(request, pr, bound: dict) -> dict:
    reviewers = [r.user for r in pr.reviewers.select_related("user")]
    return {
        "comment": bound.get("comment") or PullRequestCommentForm(),
        "edit": bound.get("edit")
        or EditPullRequestForm(initial={"title": pr.title, "description": pr.description}),
        "reviewers": bound.get("reviewers") or ReviewersForm(reviewers=reviewers),
    }


def _page(request, repo, pr, bound=None, status=200):
    from lindos.review.markup import render_markdown

    iterations = list(pr.iterations.all())
    try:
        shown = int(request.GET.get("iteration", iterations[-1].number))
    except ValueError:
        shown = iterations[-1].number
    iteration = next((i for i in iterations if i.number == shown), iterations[-1])
    try:
        diff = _diff_files(pr, iteration)
        changesets = _changeset_rows(pr, iteration)
    except (RevisionNotFound, VCSError):
        diff, changesets = None, []
    comments = (
        Comment.objects.filter(pull_request=pr).select_related("author").prefetch_related("status_changes")
    )
    general, inline_rows = split_inline(comment_rows(comments, request.user))
    for row in inline_rows:
        # Line numbers only fit the diff of the iteration commented on.
        row["elsewhere"] = row["c"].revision != iteration.source_rev
    votes = reviewer_votes(pr)
    user = request.user
    return render(
        request,
        "review/pull_request.html",
        {
            "repo": repo,
            "active_tab": "pullrequests",
            "pr": pr,
            "description_html": render_markdown(pr.description),
            "iterations": iterations,
            "iteration": iteration,
            "latest": iteration.number == iterations[-1].number,
            "changesets": changesets,
            "diff": diff,
            "files": [fd.path for fd in diff.files] if diff else [],
            "general": general,
            "inline": inline_rows,
            "votes": votes,
            "overall": overall_status([v.status for v in votes]),
            "can_manage": can_manage(user, pr),
            "can_close": pr.is_open and can_manage(user, pr),
            "can_vote": can_set_status(user, pr),
            "forms": _forms(request, pr, bound or {}),
        },
        status=status,
    )


def _get_pr(request, repo_name: str, pr_id: str):
    repo = get_repository_or_404(request, repo_name)
    pr = get_object_or_404(
        PullRequest.objects.select_related("owner", "source_repo", "target_repo"),
        pk=int(pr_id),
        target_repo=repo,
    )
    return repo, pr


def show(request, repo_name: str, pr_id: str):
    repo, pr = _get_pr(request, repo_name, pr_id)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        handler = _ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            raise Http404("unknown action")
        return handler(request, repo, pr)
    return _page(request, repo, pr)


# -- actions ------------------------------------------------------------------


def _comment(request, repo, pr):
    form = PullRequestCommentForm(request.POST)
    if not form.is_valid():
        return _page(request, repo, pr, {"comment": form}, status=400)
    data = form.cleaned_data
    if data["path"]:
        latest = pr.latest_iteration()
        inline.check_line(
            compare.compare_vcs(pr),
            {"new": latest.source_rev, "old": latest.base_rev},
            data["path"],
            data["line"],
            data["side"],
        )
    # Who may vote or close is the action's rule (``ReviewRefused``).
    try:
        comment = do_comment_on_pull_request(
            pr=pr,
            author=request.user,
            text=data["text"],
            status=data["status"] or None,
            close=data["close"],
            path=data["path"],
            line=data["line"],
            side=data["side"],
            token=data["token"] or None,
        )
    except ReviewRefused as exc:
        form.add_error(exc.field or None, exc.message)
        return _page(request, repo, pr, {"comment": form}, status=400)
    except ValidationError as exc:
        form.add_error(None, validation_message(exc))
        return _page(request, repo, pr, {"comment": form}, status=400)
    _log(request, pr, "user_commented_pull_request")
    if data["close"]:
        _log(request, pr, "user_closed_pull_request")
    return HttpResponseRedirect(f"{pr.url}#{comment.anchor}")


def _log(request, pr, action: str) -> None:
    """An admin log line as Kallithea's pages wrote it (and Lindos's API,
    ``lindos.api.action_log``): on the pull request's repository, its number."""
    record_action(
        request.user, action, repository=pr.target_repo, detail=str(pr.pk), address=client_address(request)
    )


def _edit(request, repo, pr):
    form = EditPullRequestForm(request.POST)
    if form.is_valid():
        try:
            do_edit_pull_request(pr, request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, validation_message(exc))
    if form.errors:
        return _page(request, repo, pr, {"edit": form}, status=400)
    messages.success(request, "Pull request updated.")
    return HttpResponseRedirect(pr.url)


def _reviewers(request, repo, pr):
    current = [r.user for r in pr.reviewers.select_related("user")]
    form = ReviewersForm(request.POST, reviewers=current)
    if form.is_valid():
        try:
            do_add_reviewers(pr, request.user, form.cleaned_data["add"])
            for user in current:
                if user.pk in form.cleaned_data["remove"]:
                    do_remove_reviewer(pr, request.user, user)
        except ValidationError as exc:
            form.add_error("add", validation_message(exc))
    if form.errors:
        return _page(request, repo, pr, {"reviewers": form}, status=400)
    _log(request, pr, "user_edited_pull_request_reviewers")
    messages.success(request, "Reviewers updated.")
    return HttpResponseRedirect(pr.url)


_ACTIONS = {"comment": _comment, "edit": _edit, "reviewers": _reviewers}
