"""Kallithea pages whose feature Lindos does not have: a 404 that says so
and points to the nearest page, rather than the site's bare "not found".

Each answers only to those who could have opened the Kallithea page (the
admin pages to admins, a repository's settings to its admins, my account
to the signed-in user): anyone else gets exactly the answer the existing
page of that kind gives, so nothing here tells more than before."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from lindos.accounts.admin_views import admin_required
from lindos.accounts.models import User
from lindos.repos.permissions import get_repository_or_404


@dataclass(frozen=True)
class Absence:
    title: str
    explanation: str
    nearest_label: str = ""
    nearest_url: str = ""  # may hold "{repo_name}" or "{user_id}"


def _render(request, absence: Absence, **names):
    return render(
        request,
        "compat/not_in_lindos.html",
        {
            "title": absence.title,
            "explanation": absence.explanation,
            "nearest_label": absence.nearest_label,
            "nearest_url": absence.nearest_url.format(**names),
        },
        status=404,
    )


def admin_page(absence: Absence):
    """A site admin's page (users' and site settings)."""

    @admin_required
    def view(request, **kwargs):
        if "user_id" in kwargs:  # a user's page: that user must exist
            get_object_or_404(User, pk=kwargs["user_id"])
        return _render(request, absence, **kwargs)

    return view


def own_page(absence: Absence):
    """A "my account" page."""

    @login_required
    def view(request, **kwargs):
        return _render(request, absence, **kwargs)

    return view


def repository_admin_page(absence: Absence):
    """A repository's settings page: 404 unless one may read it, 403
    unless one may administer it, as ``/REPO/settings``."""

    @login_required
    def view(request, repo_name, **kwargs):
        repo = get_repository_or_404(request, repo_name, need="admin")
        return _render(request, absence, repo_name=repo.name, **kwargs)

    return view


HOOKS = Absence(
    "Custom hooks",
    "Lindos has no custom Mercurial hooks set from the web. It runs its own work after each push "
    "(journal, mail, search index, webhooks); to call another service on a push, add a webhook in "
    "a repository's settings.",
)
SEARCH = Absence(
    "Search settings",
    "Lindos's search needs no settings: the index is brought up to date after each push, and the "
    "command lindos search-reindex rebuilds it whole.",
    "Search",
    "/_admin/search",
)
EMAILS = Absence(
    "Additional email addresses",
    "Lindos keeps one email address per account; mail is sent to it and commits are matched on it. "
    "Change it on your account page.",
    "My account",
    "/_admin/my_account",
)
USER_EMAILS = Absence(
    "Additional email addresses",
    "Lindos keeps one email address per account; change it on the user's page.",
    "Edit user",
    "/_admin/users/{user_id}/edit",
)
FIELDS = Absence(
    "Extra fields",
    "Lindos has no extra fields on repositories; the description on the settings page is the place "
    "for such notes.",
    "Settings",
    "/{repo_name}/settings",
)
REMOTE = Absence(
    "Remote repository",
    "Lindos keeps no remote URL for a repository. To pull changes in, call the API method pull with "
    "a clone_uri, or push from a clone.",
    "Settings",
    "/{repo_name}/settings",
)
DEFAULTS = Absence(
    "Repository defaults",
    "Lindos has none of Kallithea's repository defaults (type, private, statistics, downloads): the "
    "creation form asks for the type and the private flag each time. What everyone may do with new "
    "public repositories is set on the Settings page (default repository permission).",
    "Settings",
    "/_admin/settings",
)
