"""Comments and statuses on ``/REPO/changeset/REV``.

The page itself belongs to the repository browser; ``changeset_hook`` adds
the comments, the votes and the comment form to it.  The form posts to
``/REPO/changeset_comment/REV``: on success the browser is sent back to
the new comment, on a refusal the changeset page is shown again with the
form as typed and the reason (status 400).  Unknown revisions, lines
outside the file and repositories the user cannot read are 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from lindos.activity.log import client_address, record_action
from lindos.repos.permissions import get_repository_or_404
from lindos.review import compare, inline
from lindos.review.actions.comments import do_comment_on_changeset, do_delete_comment
from lindos.review.facts import changeset_url
from lindos.review.forms import CommentForm
from lindos.review.models import Comment
from lindos.review.statuses import statuses_for, summary_status
from lindos.review.views.common import comment_rows, split_inline, validation_message
from lindos.vcs.errors import RevisionNotFound, VCSError

TEMPLATE = "review/changeset_comments.html"


def changeset_hook(request, repo, cs, context) -> None:
    """Add the review part of the changeset page (see module doc)."""
    comments = (
        Comment.objects.filter(repository=repo, revision=cs.id, pull_request=None)
        .select_related("author")
        .prefetch_related("status_changes")
    )
    general, inline_rows = split_inline(comment_rows(comments, request.user))
    votes = statuses_for(repo, [cs.id]).get(cs.id, [])
    context["review"] = {
        "general": general,
        "inline": inline_rows,
        "votes": votes,
        "overall": summary_status(votes),
        "form": getattr(request, "review_form", None) or CommentForm(),
        "action": f"/{repo.name}/changeset_comment/{cs.id}",
        "files": [fd.path for fd in getattr(context.get("diff"), "files", [])],
    }
    context["changeset_includes"].append(TEMPLATE)


def _changeset_or_404(repo, rev: str):
    try:
        return compare.open_vcs(repo).get_changeset(rev)
    except (RevisionNotFound, VCSError):
        raise Http404("unknown revision")


def _show_again(request, repo_name: str, rev: str, form):
    from lindos.repos.browse.changeset import changeset as changeset_page

    request.review_form = form
    response = changeset_page(request, repo_name, rev)
    response.status_code = 400
    return response


@require_POST
@login_required
def post_comment(request, repo_name: str, rev: str):
    repo = get_repository_or_404(request, repo_name)
    cs = _changeset_or_404(repo, rev)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _show_again(request, repo_name, cs.id, form)
    data = form.cleaned_data
    if data["path"]:
        revs = {"new": cs.id, "old": cs.parents[0] if cs.parents else None}
        inline.check_line(cs.repository, revs, data["path"], data["line"], data["side"])
    try:
        comment = do_comment_on_changeset(
            repo=repo,
            revision=cs.id,
            author=request.user,
            text=data["text"],
            status=data["status"] or None,
            path=data["path"],
            line=data["line"],
            side=data["side"],
            token=data["token"] or None,
        )
    except ValidationError as exc:
        form.add_error(None, validation_message(exc))
        return _show_again(request, repo_name, cs.id, form)
    # Kallithea's admin log line for a changeset comment.
    record_action(
        request.user,
        "user_commented_revision",
        repository=repo,
        detail=cs.id,
        address=client_address(request),
    )
    return HttpResponseRedirect(f"{changeset_url(repo.name, cs.id)}#{comment.anchor}")


@require_POST
@login_required
def delete_comment(request, repo_name: str, comment_id: int):
    repo = get_repository_or_404(request, repo_name)
    comment = get_object_or_404(Comment, pk=comment_id, repository=repo)
    back = comment.pull_request.url if comment.pull_request_id else changeset_url(repo.name, comment.revision)
    do_delete_comment(comment, request.user)
    return HttpResponseRedirect(back)
