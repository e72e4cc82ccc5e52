"""Site-wide pages: the home page and the error pages."""

from django.shortcuts import render
from django.utils import timezone

from lindos.repos.listing import build_repository_rows, visible_repositories

HOME_PAGE_SIZE = 100


def home(request):
    """The front page: the top-level repository groups and the repositories
    the visitor may read, a page of them at a time (an organisation's
    thousands of repositories would otherwise make one slow, long page)."""
    from django.core.paginator import Paginator

    from lindos.repos.permissions import readable_repo_groups

    repositories = visible_repositories(request.user).values(
        "name", "description", "kind", "private", "updated_at"
    )
    page = Paginator(repositories, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    groups = (
        readable_repo_groups(request.user)
        .exclude(name__contains="/")
        .order_by("name")
        .only("name", "description")
    )
    rows = build_repository_rows(page, timezone.now())
    return render(request, "home.html", {"repositories": page, "rows": rows, "page": page, "groups": groups})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
