"""My account > Permissions, Owned repositories, Watched repositories:
Kallithea's "my account" tabs, each about the signed-in user only (there is
no user id in these URLs, so nobody can ask about someone else).

Every list holds only what the user may read: a private repository they
once followed and lost access to is not named."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lindos.accounts.models import GlobalPermission
from lindos.repos.permissions import (
    explain_group,
    has_at_least,
    has_global_permission,
    readable_repo_groups,
    readable_repositories,
    repository_permissions,
)


def build_readable_permissions(user):
    """``(repositories, groups)``: ``(object, Resolution)`` pairs of the
    repositories and repository groups ``user`` may at least read, by name."""
    repositories = sorted(
        (pair for pair in repository_permissions(user).values() if has_at_least(pair[1].permission, "read")),
        key=lambda pair: pair[0].name,
    )
    groups = [(group, explain_group(user, group)) for group in readable_repo_groups(user).order_by("name")]
    return repositories, groups


@login_required
@require_safe
def my_permissions(request):
    user = request.user
    repositories, groups = build_readable_permissions(user)
    rights = [(label, has_global_permission(user, value)) for value, label in GlobalPermission.choices]
    return render(
        request,
        "compat/my_permissions.html",
        {"repositories": repositories, "groups": groups, "rights": rights},
    )


@login_required
@require_safe
def my_repositories(request):
    """Repositories the user owns (Kallithea's "Owned Repositories")."""
    repositories = readable_repositories(request.user).filter(owner=request.user).order_by("name")
    return render(
        request,
        "compat/my_repositories.html",
        {
            "title": "My repositories",
            "repositories": repositories,
            "empty": "You own no repositories.",
        },
    )


@login_required
@require_safe
def my_watched(request):
    """Repositories the user follows (Kallithea's "Watched Repositories")."""
    repositories = (
        readable_repositories(request.user).filter(followers__user=request.user).order_by("name").distinct()
    )
    return render(
        request,
        "compat/my_repositories.html",
        {
            "title": "Watched repositories",
            "repositories": repositories,
            "empty": "You follow no repositories; the Follow button on a repository's summary adds one.",
        },
    )
