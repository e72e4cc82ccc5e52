"""Admin > Users > USER > Permissions: what the user may do on each
repository, repository group and user group, and where it comes from (the owner flag,
the site admin flag, the default, their own grant or which user group),
as ``lindos.repos.permissions`` resolves it for git, hg, pages, the API
and mail alike; and their site-wide rights, which the admin may extend."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from lindos.accounts import user_groups as actions
from lindos.accounts.admin_views import admin_required
from lindos.accounts.models import GlobalPermission, User, UserGroup
from lindos.accounts.user_group_views import GlobalRightsForm
from lindos.repos.models import RepoGroup
from lindos.repos.permissions import (
    explain_group,
    explain_user_group,
    has_global_permission,
    repository_permissions,
)


@admin_required
def user_permissions(request, user_id):
    target = get_object_or_404(User, pk=user_id)
    own_rights = list(target.global_permission_grants.values_list("permission", flat=True))
    rights_form = GlobalRightsForm(initial={"rights": own_rights})
    rights_form.fields["rights"].label = "Extra site-wide rights of this user"
    if request.method == "POST":
        rights_form = GlobalRightsForm(request.POST)
        if rights_form.is_valid():
            actions.do_set_global_permissions(user=target, names=rights_form.cleaned_data["rights"])
            messages.success(request, "Site-wide rights saved.")
            return redirect("admin_user_permissions", target.pk)
    repositories = sorted(repository_permissions(target).values(), key=lambda item: item[0].name)
    groups = [(group, explain_group(target, group)) for group in RepoGroup.objects.order_by("name")]
    on_user_groups = [
        (group, explain_user_group(target, group)) for group in UserGroup.objects.order_by("name")
    ]
    rights = [(label, has_global_permission(target, value)) for value, label in GlobalPermission.choices]
    return render(
        request,
        "accounts/user_permissions.html",
        {
            "target": target,
            "repositories": repositories,
            "groups": groups,
            "on_user_groups": on_user_groups,
            "rights": rights,
            "rights_form": rights_form,
            "user_groups": target.user_groups.order_by("name"),
        },
    )
