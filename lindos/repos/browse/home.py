"""``/REPO`` itself: the summary page, and a straight answer to URLs that
name the repository the way a VCS client or a habit would.

* ``/REPO.git`` (a GitHub habit; git clones it fine, since the transport
  strips ``.git``) redirects a browser to ``/REPO`` when no repository is
  called ``REPO.git`` and the visitor may read ``REPO``. Otherwise it is the
  same 404 as any unknown name, so private names don't leak.
* ``/REPO?cmd=...`` is how a Mercurial client speaks (``hg clone``, ``hg
  pull`` and ``hg push`` all start with ``?cmd=capabilities``): such a
  request, whatever its method, goes to ``lindos.transport.hg_http``.
  Pushes are POSTs authenticated with HTTP Basic, hence ``csrf_exempt``
  (without ``cmd`` only GET and HEAD are answered).
"""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt

from lindos.repos.group_views import group_page
from lindos.repos.models import RepoGroup, Repository
from lindos.repos.permissions import get_repository_or_404
from lindos.transport.hg_http import hg_wire_request

from . import links
from .summary import summary

GIT_SUFFIX = ".git"


@csrf_exempt
def repo_home(request, repo_name: str):
    if "cmd" in request.GET:
        return hg_wire_request(request, repo_name)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    # (A NUL would reach PostgreSQL, which refuses it; summary() 404s it.)
    if (
        repo_name.endswith(GIT_SUFFIX)
        and len(repo_name) > len(GIT_SUFFIX)
        and "\x00" not in repo_name
        and not Repository.objects.filter(name=repo_name).exists()
    ):
        repo = get_repository_or_404(request, repo_name[: -len(GIT_SUFFIX)])
        return redirect(links.summary_url(repo.name))
    if (
        "\x00" not in repo_name
        and not Repository.objects.filter(name=repo_name).exists()
        and RepoGroup.objects.filter(name=repo_name).exists()
    ):
        return group_page(request, repo_name)  # a repository group's page (404 if hidden)
    return summary(request, repo_name)
