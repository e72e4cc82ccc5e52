"""Admin > Settings > Remap and rescan (Kallithea's ``/_admin/settings/mapping``):
register repositories found on disk, as ``lindos repo-scan`` and the API's
``rescan_repos`` do. The form's field names are Kallithea's: ``destroy``
("remove repositories whose folder is gone")."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lindos.accounts.admin_views import admin_required
from lindos.activity.log import client_address, record_action


def do_rescan_repositories(*, owner, remove_obsolete: bool) -> tuple[list[str], list[str], list[str]]:
    """Register every repository on disk that has no row yet (owned by
    ``owner``); with ``remove_obsolete``, drop the rows whose folder is
    gone. Returns the names ``(added, removed, skipped)``."""
    from lindos.repos.actions import do_delete_repository, do_register_repository
    from lindos.repos.models import Repository
    from lindos.repos.scan import find_repositories

    found = list(find_repositories())
    known = set(Repository.objects.values_list("name", flat=True))
    added, removed, skipped = [], [], []
    with transaction.atomic():
        for item in found:
            if item.name in known:
                continue
            if item.problem:
                skipped.append(f"{item.name}: {item.problem}")
                continue
            do_register_repository(name=item.name, kind=item.kind, owner=owner)
            added.append(item.name)
        if remove_obsolete:
            on_disk = {f.name for f in found}
            for repo in Repository.objects.exclude(name__in=on_disk):
                removed.append(repo.name)
                do_delete_repository(repo)  # its folder is gone: only the row goes
    return added, removed, skipped


def build_name_list(names: list[str], shown: int = 20) -> str:
    """The first ``shown`` names, then how many more: a first rescan of a
    large folder would otherwise flash thousands of names."""
    if not names:
        return "none"
    text = ", ".join(names[:shown])
    return f"{text} and {len(names) - shown} more" if len(names) > shown else text


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def rescan_page(request):
    if request.method == "POST":
        added, removed, skipped = do_rescan_repositories(
            owner=request.user, remove_obsolete=bool(request.POST.get("destroy"))
        )
        record_action(
            request.user,
            "admin_rescanned_repos",
            detail=f"{len(added)} added, {len(removed)} removed",
            address=client_address(request),
        )
        messages.success(
            request,
            f"Repositories rescanned: {len(added)} added ({build_name_list(added)}), "
            f"{len(removed)} removed ({build_name_list(removed)}).",
        )
        if skipped:
            messages.warning(request, f"Skipped {len(skipped)}: {build_name_list(skipped)}")
        return redirect("admin_settings_mapping")
    return render(request, "compat/rescan.html")
