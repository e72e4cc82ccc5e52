"""The search page, everywhere (``/_admin/search``) and in one repository
(``/REPO/search``), with Kallithea's parameters: ``q`` (the text),
``type`` (``content``, ``path`` or ``commit``; anything else is
``content``, as in Kallithea) and ``page``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_safe

from lindos.repos.permissions import get_repository_or_404
from lindos.search.results import run_search
from lindos.search.terms import KINDS

TYPE_LABELS = {"content": "File contents", "commit": "Commit messages", "path": "File names"}


@require_safe
def search(request, repo_name: str | None = None):
    repo = get_repository_or_404(request, repo_name) if repo_name is not None else None
    text = request.GET.get("q", "")
    kind = request.GET.get("type", "content")
    kind = kind if kind in KINDS else "content"
    outcome = run_search(request.user, text, kind, repo, request.GET.get("page")) if text.strip() else None
    action = f"/{repo.name}/search" if repo is not None else "/_admin/search"
    context = {
        "repo": repo,
        "active_tab": "search",
        "q": text,
        "kind": kind,
        "types": [(value, TYPE_LABELS[value]) for value in ("content", "commit", "path")],
        "outcome": outcome,
        "action": action,
        "page_url": action + "?" + urlencode({"q": text, "type": kind}) + "&page=",
    }
    return render(request, "search/search.html", context)
