"""``/_profile/USERNAME``: who a user is, as others may see it: name,
username, the repositories they own and the open pull requests they opened,
both only where the viewer may read the repository.  Never the email
address or anything from "my account".  @mentions link here.

An unknown or deactivated user is a 404, like a repository one may not see.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lindos.accounts.models import User
from lindos.repos.permissions import readable_repositories
from lindos.review.models import PullRequest

LISTED = 100  # rows per list; a profile is a summary, not an index


@require_safe
def user_profile(request, username: str):
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Http404("No such user")
    readable = readable_repositories(request.user)
    repositories = readable.filter(owner=person).order_by("name")
    pull_requests = (
        PullRequest.objects.select_related("target_repo")
        .filter(owner=person, state=PullRequest.OPEN, target_repo__in=readable)
        .order_by("-updated_at")
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "repositories": repositories[:LISTED],
            "pull_requests": pull_requests[:LISTED],
        },
    )
