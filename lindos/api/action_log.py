"""Admin log lines for what API calls change, with the caller and their
address, as Kallithea's API wrote them through ``action_logger``.

The action names are Kallithea's (``kallithea/lib/helpers.py`` lists them
for its admin log) where Kallithea had one, and what its admin pages use
for the same change, so an imported Kallithea log and new lines read
alike: ``admin_updated_repo``, ``admin_deleted_repo``,
``admin_created_user``, ``admin_updated_users_group``,
``user_commented_pull_request``, ``user_closed_pull_request``,
``push_remote``; Lindos's pages write the same names for the same
changes. Kallithea logged no permission or repository-group
changes (its calls are commented out or marked TODO); Lindos names them in
the same pattern. A name that Kallithea wrote as ``action:argument`` is
kept as the action with the argument in ``detail``. Pull request lines
name the repository the pull request is in (its target), as its page's
do (Kallithea's API named the source).

Creating and forking a repository, and registering one found on disk,
are not written here: ``lindos.repos.actions`` puts them in the
repository's journal (with the caller), which the admin log shows too.

Each method records only after its change succeeded, so a refused or
failed call leaves no line.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from lindos.activity.log import record_action

UPDATED_REPO = "admin_updated_repo"
DELETED_REPO = "admin_deleted_repo"
CHANGED_REPO_PERMISSIONS = "admin_changed_repo_permissions"
REVOKED_REPO_PERMISSIONS = "admin_revoked_repo_permissions"
CREATED_USER = "admin_created_user"
UPDATED_USER = "admin_updated_user"
DELETED_USER = "admin_deleted_user"
CREATED_USER_GROUP = "admin_created_users_group"
UPDATED_USER_GROUP = "admin_updated_users_group"
DELETED_USER_GROUP = "admin_deleted_users_group"
CREATED_REPO_GROUP = "admin_created_repo_group"
UPDATED_REPO_GROUP = "admin_updated_repo_group"
DELETED_REPO_GROUP = "admin_deleted_repo_group"
CHANGED_REPO_GROUP_PERMISSIONS = "admin_changed_repo_group_permissions"
REVOKED_REPO_GROUP_PERMISSIONS = "admin_revoked_repo_group_permissions"
COMMENTED_PULL_REQUEST = "user_commented_pull_request"
CLOSED_PULL_REQUEST = "user_closed_pull_request"
EDITED_REVIEWERS = "user_edited_pull_request_reviewers"
PULLED_FROM_REMOTE = "push_remote"


def record(call, action: str, *, repository=None, repository_name: str = "", detail: str = ""):
    """One admin log line for ``call``'s user, from ``call``'s address."""
    return record_action(
        call.user,
        action,
        repository=repository,
        repository_name=repository_name,
        detail=detail,
        address=call.ip_addr,
    )


def build_remote_detail(url: str) -> str:
    """A remote's URL without the user name and password it may carry
    (the admin log is read by every site admin)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:  # an IPv6 address keeps its brackets
            host = f"[{host}]"
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return ""
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
