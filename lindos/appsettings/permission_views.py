"""Admin > Permissions (``/_admin/permissions``): Kallithea's global
permissions: anonymous access, what everyone may do with new repositories,
repository groups and user groups (optionally applied to the existing ones), who may
create repositories, repository groups and user groups and fork, and the
registration mode. Per-user and per-user-group extras are set on the
user's permissions page and the user group's page."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from lindos.accounts.admin_views import admin_required
from lindos.appsettings.current import current_app_settings, save_app_settings
from lindos.appsettings.models import DefaultPermission, RegistrationMode
from lindos.repos.permission_cache import forget_cached_permissions

FIELDS = [
    "anonymous_access",
    "default_repo_permission",
    "default_group_permission",
    "default_user_group_permission",
    "create_repositories",
    "create_repo_groups",
    "create_user_groups",
    "fork_repositories",
    "registration",
]


class GlobalPermissionsForm(forms.Form):
    anonymous_access = forms.BooleanField(
        required=False,
        label="Anonymous access",
        help_text="Off: visitors must log in to see or clone anything.",
    )
    default_repo_permission = forms.ChoiceField(
        choices=DefaultPermission.choices, label="Default repository permission"
    )
    overwrite_repos = forms.BooleanField(required=False, label="Apply to all existing public repositories")
    default_group_permission = forms.ChoiceField(
        choices=DefaultPermission.choices, label="Default repository group permission"
    )
    overwrite_groups = forms.BooleanField(required=False, label="Apply to all existing repository groups")
    default_user_group_permission = forms.ChoiceField(
        choices=DefaultPermission.choices,
        label="Default user group permission",
        help_text="Read: logged-in users see the group and may grant it permissions on what they "
        "administer. Admin: they may manage it (members, permissions).",
    )
    overwrite_user_groups = forms.BooleanField(required=False, label="Apply to all existing user groups")
    create_repositories = forms.BooleanField(
        required=False, label="Everyone may create top-level repositories"
    )
    create_repo_groups = forms.BooleanField(
        required=False, label="Everyone may create top-level repository groups"
    )
    create_user_groups = forms.BooleanField(required=False, label="Everyone may create user groups")
    fork_repositories = forms.BooleanField(required=False, label="Everyone may fork repositories")
    registration = forms.ChoiceField(choices=RegistrationMode.choices)


def do_save_global_permissions(data: dict) -> None:
    """Store the switches; "apply to all" rewrites every public repository's
    (or every group's, every user group's) permission for everyone."""
    from lindos.accounts.models import UserGroup
    from lindos.repos.models import RepoGroup, Repository

    with transaction.atomic():
        save_app_settings(**{name: data[name] for name in FIELDS})
        if data.get("overwrite_repos"):
            Repository.objects.filter(private=False).update(
                default_permission=data["default_repo_permission"]
            )
        if data.get("overwrite_groups"):
            RepoGroup.objects.update(default_permission=data["default_group_permission"])
        if data.get("overwrite_user_groups"):
            UserGroup.objects.update(default_permission=data["default_user_group_permission"])
    forget_cached_permissions()


@admin_required
def permissions_page(request):
    snapshot = current_app_settings()
    form = GlobalPermissionsForm(
        request.POST or None, initial={name: getattr(snapshot, name) for name in FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        do_save_global_permissions(form.cleaned_data)
        messages.success(request, "Permissions saved.")
        return redirect("admin_permissions")
    return render(request, "appsettings/permissions.html", {"form": form})
