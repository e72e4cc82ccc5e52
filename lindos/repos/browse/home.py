"""``/REPO`` itself: the summary page, and a straight answer to URLs that
name the repository the way a VCS client or a habit would.

* ``/REPO.git`` (a GitHub habit; git clones it fine, since the transport
  strips ``.git``) redirects a browser to ``/REPO`` when no repository is
  called ``REPO.git`` and the visitor may read ``REPO``. Otherwise it is the
  same 404 as any unknown name, so private names don't leak.
"""

from __future__ import annotations

from django.shortcuts import redirect

from lindos.repos.models import Repository
from lindos.repos.permissions import get_repository_or_404

from . import links
from .summary import summary

GIT_SUFFIX = '.git'


def repo_home(request, repo_name: str):
    if (repo_name.endswith(GIT_SUFFIX) and len(repo_name) > len(GIT_SUFFIX)
            and not Repository.objects.filter(name=repo_name).exists()):
        repo = get_repository_or_404(request, repo_name[:-len(GIT_SUFFIX)])
        return redirect(links.summary_url(repo.name))
    return summary(request, repo_name)
