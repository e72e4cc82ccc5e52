"""Pull requests: get_pullrequest, comment_pullrequest, edit_reviewers.

Changes go through ``lindos.review.actions`` (mail, webhooks, iteration
rules).  Who may close or vote is asked of the actions' rule functions
(``can_manage``); the sentences are Kallithea's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from lindos.api import action_log
from lindos.api.errors import JSONRPCError
from lindos.api.jsonrpc import Bool, IdList, Int, Str, api_method
from lindos.api.methods.common import get_user_or_error
from lindos.api.serialize import pull_request_data
from lindos.repos.permissions import can_read
from lindos.review import actions
from lindos.review.actions.pull_requests import can_manage
from lindos.review.models import PullRequest, Status


def _pull_request_or_error(call, pull_request_id) -> PullRequest:
    pr = (
        PullRequest.objects.select_related("owner", "source_repo", "target_repo")
        .filter(pk=pull_request_id)
        .first()
    )
    # One the caller may not see (its target is hidden from them) does not exist for them.
    if pr is None or not can_read(call.user, pr.target_repo):
        raise JSONRPCError("pull request `%s` does not exist" % (pull_request_id,))
    return pr


@api_method()
def get_pullrequest(call, pullrequest_id: Int):
    pr = _pull_request_or_error(call, pullrequest_id)
    if not can_read(call.user, pr.source_repo):
        raise JSONRPCError("not allowed")
    return pull_request_data(pr)


def _is_reviewer(user, pr) -> bool:
    return pr.reviewers.filter(user=user).exists()


@api_method()
def comment_pullrequest(
    call, pull_request_id: Int, comment_msg: Str = "", status: Str = None, close_pr: Bool = False
):
    pr = _pull_request_or_error(call, pull_request_id)
    user = call.user
    if not can_read(user, pr.source_repo):
        raise JSONRPCError(
            "No permission to add comment. User needs at least reading permissions to the source repository."
        )
    if close_pr and not can_manage(user, pr):
        raise JSONRPCError("No permission to close pull request. User needs to be admin or owner.")
    if status and not (can_manage(user, pr) or _is_reviewer(user, pr)):
        raise JSONRPCError(
            "No permission to change pull request status. User needs to be admin, owner or reviewer."
        )
    if not pr.is_open:
        raise JSONRPCError("pull request is already closed")
    if status and status not in Status.values:
        raise JSONRPCError(
            "Invalid type for `status` arg in JSON DATA: expected one of %s" % ", ".join(Status.values)
        )
    try:
        actions.do_comment_on_pull_request(
            pr=pr, author=user, text=comment_msg, status=status or None, close=close_pr
        )
    except PermissionDenied as exc:
        raise JSONRPCError(str(exc) or "not allowed")
    except ValidationError as exc:
        raise JSONRPCError("; ".join(exc.messages))
    # The lines name the repository the pull request is in (its target), as
    # the pull request page's do (Kallithea's API named the source).
    action_log.record(call, action_log.COMMENTED_PULL_REQUEST, repository=pr.target_repo, detail=str(pr.pk))
    if close_pr:
        action_log.record(call, action_log.CLOSED_PULL_REQUEST, repository=pr.target_repo, detail=str(pr.pk))
    return True


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@api_method()
def edit_reviewers(call, pull_request_id: Int, add: IdList = None, remove: IdList = None):
    if add is None and remove is None:
        raise JSONRPCError("Invalid request. Neither 'add' nor 'remove' is specified.")
    pr = _pull_request_or_error(call, pull_request_id)
    if not can_manage(call.user, pr):
        raise JSONRPCError(
            "No permission to edit reviewers of this pull request. "
            "User needs to be admin or pull request owner."
        )
    if not pr.is_open:
        raise JSONRPCError("Cannot edit reviewers of a closed pull request.")
    to_add = list({u.pk: u for u in (get_user_or_error(x) for x in _as_list(add))}.values())
    to_remove = list({u.pk: u for u in (get_user_or_error(x) for x in _as_list(remove))}.values())
    present = set(pr.reviewers.values_list("user_id", flat=True))
    try:
        added_ids = actions.do_add_reviewers(pr, call.user, to_add) if to_add else []
        for user in to_remove:
            actions.do_remove_reviewer(pr, call.user, user)
    except PermissionDenied as exc:
        raise JSONRPCError(str(exc))
    except ValidationError as exc:
        raise JSONRPCError("; ".join(exc.messages))
    action_log.record(call, action_log.EDITED_REVIEWERS, repository=pr.target_repo, detail=str(pr.pk))
    return {
        "added": [u.username for u in to_add if u.pk in added_ids],
        "already_present": [u.username for u in to_add if u.pk in present],
        "removed": [u.username for u in to_remove],
    }
