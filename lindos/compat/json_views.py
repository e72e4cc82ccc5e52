"""The JSON answers Kallithea's pages fetched from scripts, in Kallithea's
shapes, for scripts and browser extensions written against them.

Permissions are the pages': a repository's data needs read permission on
it, and a repository one may not read is the same 404 as one that does not
exist. Kallithea answered some of these only to XMLHttpRequest; Lindos
answers any client (the data is the same a page shows them)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_http_methods, require_safe

from lindos.accounts.models import User
from lindos.accounts.user_groups import readable_user_groups
from lindos.repos.browse.common import format_size, open_browse
from lindos.repos.models import Repository
from lindos.repos.permissions import can_read, readable_repo_groups, readable_repositories
from lindos.vcs.errors import VCSError

#: Kallithea's cap on each kind of match in ``/_users_and_groups``.
MAX_MATCHES = 500


def _json(data) -> JsonResponse:
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})


def build_repo_switcher(groups, repositories) -> dict:
    """``/_repos``: select2's groups-then-repositories list."""
    return {
        "more": False,
        "results": [
            {
                "text": "Groups",
                "children": [{"id": g.name, "text": g.name, "type": "group", "obj": {}} for g in groups],
            },
            {
                "text": "Repositories",
                "children": [
                    {
                        "id": r.name,
                        "text": r.name,
                        "type": "repo",
                        "obj": {
                            "repo_name": r.name,
                            "repo_type": r.kind,
                            "description": r.description,
                            "private": r.private,
                        },
                    }
                    for r in repositories
                ],
            },
        ],
    }


@require_safe
def repo_switcher_data(request):
    groups = readable_repo_groups(request.user).order_by("name").only("name")
    repositories = (
        readable_repositories(request.user).order_by("name").only("name", "kind", "description", "private")
    )
    return _json(build_repo_switcher(groups, repositories))


def _user_row(user) -> dict:
    # Lindos shows no avatars: the key stays for scripts that read it.
    return {
        "type": "user",
        "id": user.pk,
        "nname": user.username,
        "fname": user.first_name,
        "lname": user.last_name,
        "gravatar_lnk": "",
        "gravatar_size": 14,
    }


@login_required
@require_safe
def users_and_groups_data(request):
    """Users (active, by username, first/last name or email) and user
    groups (those the user may see, as on the user groups page): ``key``
    is an exact name, ``query`` a part of one; ``types`` is ``users``
    (the default), ``groups`` or both, comma separated."""
    types = request.GET.get("types", "users").split(",")
    # PostgreSQL refuses NUL in text: drop it rather than answer 500.
    key = request.GET.get("key", "").replace("\x00", "")[:200]
    query = request.GET.get("query", "").replace("\x00", "").strip()[:200]
    results = []
    if "users" in types:
        users = User.objects.none()
        if key:
            users = User.objects.filter(username=key, is_active=True)
        elif query:
            users = (
                User.objects.filter(is_active=True)
                .filter(
                    Q(username__icontains=query)
                    | Q(first_name__icontains=query)
                    | Q(last_name__icontains=query)
                    | Q(email__icontains=query)
                )
                .order_by("username")[:MAX_MATCHES]
            )
        results += [_user_row(u) for u in users]
    if "groups" in types:
        groups = readable_user_groups(request.user).filter(active=True)
        if key:
            groups = groups.filter(name=key)
        elif query:
            groups = groups.filter(name__icontains=query).order_by("name")[:MAX_MATCHES]
        else:
            groups = groups.none()
        results += [{"type": "group", "id": g.pk, "grname": g.name} for g in groups]
    return _json({"results": results})


def build_refs(vcs) -> dict:
    """``/REPO/refs-data``: branches, closed branches, tags, bookmarks
    (each group only when it has any), name and changeset id."""
    sections = [
        ("Branch", "branch", vcs.branches),
        ("Closed Branches", "closed-branch", vcs.closed_branches),
        ("Tag", "tag", vcs.tags),
        ("Bookmark", "book", vcs.bookmarks),
    ]
    results = [
        {
            "text": text,
            "children": [{"id": rev, "text": name, "type": kind} for name, rev in sorted(refs.items())],
        }
        for text, kind, refs in sections
        if refs
    ]
    return {"more": False, "results": results}


@require_safe
def repo_refs_data(request, repo_name):
    browse = open_browse(request, repo_name)
    return _json(build_refs(browse.vcs))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def repo_size(request, repo_name):
    """The repository's size on disk as Kallithea wrote it (``"3.8 KiB"``).
    Kallithea's page asked by POST; GET answers too."""
    browse = open_browse(request, repo_name)
    return _json(format_size(browse.vcs.size_on_disk()))


def build_changeset_info(changeset) -> dict:
    return {
        "short_id": changeset.short_id,
        "raw_id": changeset.id,
        "revision": getattr(changeset, "revision", None),
        "message": changeset.message,
        "date": changeset.date.isoformat(),
        "author": changeset.author,
    }


@require_safe
def changeset_info(request, repo_name, revision):
    """One changeset's id, message, date and author (Kallithea's tooltip
    data); an unknown revision is a 404 (Kallithea answered an empty
    changeset)."""
    browse = open_browse(request, repo_name)
    try:
        changeset = browse.vcs.get_changeset(revision)
    except VCSError:
        raise Http404("No such revision")
    return _json(build_changeset_info(changeset))


@login_required
@require_safe
def repo_check_creating(request, repo_name):
    """Whether the repository is ready. Lindos creates repositories before
    the creating request answers, so it is ready once it exists; one the
    user may not read answers as one that does not exist."""
    repo = Repository.objects.filter(name=repo_name).first() if "\x00" not in repo_name else None
    return _json({"result": bool(repo is not None and can_read(request.user, repo))})
