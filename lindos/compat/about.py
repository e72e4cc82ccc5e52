"""``/about``: Kallithea's "about" page, here what this server runs and
where Lindos comes from. A repository or group called ``about`` (possible
in Lindos, never reachable in Kallithea) keeps its page at that address."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from lindos.repos.browse.home import repo_home
from lindos.repos.models import RepoGroup, Repository


def about(request):
    if Repository.objects.filter(name="about").exists() or RepoGroup.objects.filter(name="about").exists():
        return repo_home(request, "about")
    return _about_page(request)


@require_safe
def _about_page(request):
    from lindos.cli import version

    return render(request, "compat/about.html", {"version": version()})
