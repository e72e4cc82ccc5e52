"""State changes of code review, each a ``do_*`` function that commits its
change and records the notification event in the same transaction."""

from lindos.review.actions.comments import (  # noqa: F401
    ReviewRefused,
    can_set_status,
    do_comment_on_changeset,
    do_comment_on_pull_request,
    do_delete_comment,
)
from lindos.review.actions.pull_requests import (  # noqa: F401
    do_add_reviewers,
    do_create_pull_request,
    do_edit_pull_request,
    do_remove_reviewer,
    do_update_pull_request,
)
