"""Site-wide pages: the home page and the error pages."""

from django.shortcuts import render

from lindos.repos.listing import visible_repositories


def home(request):
    """The front page: the repositories the visitor may read."""
    repositories = visible_repositories(request.user)
    return render(request, "home.html", {"repositories": repositories})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: it may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
