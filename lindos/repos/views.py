"""Managing repositories: create, settings, permissions, delete, fork, forks.

Every page looks the repository up through ``get_repository_or_404`` with
the level it needs; pages that change something ask for a login first, so
a stranger is sent to log in whether or not the name exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lindos.accounts.user_groups import PICKER_LIST_ID, picker_user_groups
from lindos.activity.log import client_address, record_action
from lindos.repos import actions
from lindos.repos.forms import (
    DefaultPermissionForm,
    DeleteForm,
    ForkForm,
    GrantForm,
    RepositoryCreateForm,
    RepositorySettingsForm,
)
from lindos.repos.group_forms import RepoUserGroupGrantForm
from lindos.repos.models import RepositoryPermission, RepositoryUserGroupPermission
from lindos.repos.permissions import get_repository_or_404, readable_repositories
from lindos.repos.storage import UnsafePath
from lindos.vcs.errors import VCSError


def _fail(form, exc: Exception):
    """Put an error from the disk side (checked again at action time) on the form."""
    form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))


@login_required
def create(request):
    group = request.GET.get("group", "").replace("\x00", "")[:200]
    form = RepositoryCreateForm(
        request.POST or None, user=request.user, initial={"name": f"{group}/" if group else ""}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            repo = actions.do_create_repository(
                name=data["name"],
                kind=data["kind"],
                owner=data.get("owner") or request.user,
                description=data["description"],
                private=data["private"],
                actor=request.user,
                copy_group_permissions=data["copy_group_permissions"],
            )
        except (ValidationError, UnsafePath, VCSError, OSError) as exc:
            _fail(form, exc)
        else:
            messages.success(request, f"Created repository {repo.name}.")
            return redirect(repo.get_absolute_url())
    return render(request, "repos/create.html", {"form": form})


#: What the settings form changes besides the name and the owner.
SETTINGS_FIELDS = ("description", "private", "landing_rev", "enable_statistics", "enable_downloads")


@login_required
def settings_page(request, repo_name):
    repo = get_repository_or_404(request, repo_name, need="admin")
    form = RepositorySettingsForm(request.POST or None, repo=repo, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        changes = {k: data[k] for k in SETTINGS_FIELDS}
        if "owner" in data:
            changes["owner"] = data["owner"]
        try:
            actions.do_update_repository(repo, name=data["name"], actor=request.user, **changes)
        except (ValidationError, UnsafePath, VCSError, OSError) as exc:
            _fail(form, exc)
        else:
            record_action(
                request.user, "admin_updated_repo", repository=repo, address=client_address(request)
            )
            messages.success(request, "Settings saved.")
            return redirect(f"/{repo.name}/settings")
    return render(
        request,
        "repos/settings.html",
        {"repo": repo, "active_tab": "settings", "form": form, "delete_form": DeleteForm(repo=repo)},
    )


@login_required
@require_POST
def delete(request, repo_name):
    repo = get_repository_or_404(request, repo_name, need="admin")
    form = DeleteForm(request.POST, repo=repo)
    if not form.is_valid():
        return render(
            request,
            "repos/settings.html",
            {
                "repo": repo,
                "active_tab": "settings",
                "delete_form": form,
                "form": RepositorySettingsForm(repo=repo, user=request.user),
            },
            status=400,
        )
    try:
        actions.do_delete_repository(repo)
    except UnsafePath:
        # Its folder is a symlink out of the root: drop the row, touch no files.
        repo.delete()
    record_action(
        request.user, "admin_deleted_repo", repository_name=repo_name, address=client_address(request)
    )
    messages.success(request, f"Deleted repository {repo_name}.")
    return redirect("home")


def _log_permissions(request, repo, verb: str, detail: str) -> None:
    """``admin_changed_repo_permissions`` or ``admin_revoked_repo_permissions``
    (the names commented out in Kallithea's pages, written by Lindos's API
    too)."""
    record_action(
        request.user,
        f"admin_{verb}_repo_permissions",
        repository=repo,
        detail=detail,
        address=client_address(request),
    )


@login_required
def permissions_page(request, repo_name):
    repo = get_repository_or_404(request, repo_name, need="admin")
    default_form = DefaultPermissionForm(initial={"default_permission": repo.default_permission})
    grant_form = GrantForm()
    group_form = RepoUserGroupGrantForm(actor=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "default" and not repo.private:
            default_form = DefaultPermissionForm(request.POST)
            if default_form.is_valid():
                actions.do_set_default_permission(repo, default_form.cleaned_data["default_permission"])
                _log_permissions(
                    request,
                    repo,
                    "changed",
                    f"everyone: repository.{default_form.cleaned_data['default_permission']}",
                )
                messages.success(request, "Permission for everyone saved.")
                return redirect(f"/{repo.name}/settings/permissions")
        elif action == "grant":
            grant_form = GrantForm(request.POST)
            if grant_form.is_valid():
                user = grant_form.cleaned_data["user"]
                actions.do_set_permission(repo, user, grant_form.cleaned_data["permission"])
                _log_permissions(
                    request,
                    repo,
                    "changed",
                    f"user {user.username}: repository.{grant_form.cleaned_data['permission']}",
                )
                messages.success(
                    request, f"{user.username} now has {grant_form.cleaned_data['permission']} access."
                )
                return redirect(f"/{repo.name}/settings/permissions")
        elif action == "revoke":
            grant_id = request.POST.get("grant", "")
            # A tampered form's non-number id is "no such grant", not a 500.
            grant = (
                RepositoryPermission.objects.filter(repository=repo, pk=int(grant_id)).first()
                if grant_id.isascii() and grant_id.isdigit()
                else None
            )
            if grant is not None:
                actions.do_remove_permission(repo, grant.user)
                _log_permissions(request, repo, "revoked", f"user {grant.user.username}")
                messages.success(request, f"Removed the permission of {grant.user.username}.")
            return redirect(f"/{repo.name}/settings/permissions")
        elif action == "grant_group":
            group_form = RepoUserGroupGrantForm(request.POST, actor=request.user)
            if group_form.is_valid():
                group = group_form.cleaned_data["group"]
                actions.do_set_user_group_permission(repo, group, group_form.cleaned_data["permission"])
                _log_permissions(
                    request,
                    repo,
                    "changed",
                    f"user group {group.name}: repository.{group_form.cleaned_data['permission']}",
                )
                messages.success(
                    request,
                    f"User group {group.name} now has {group_form.cleaned_data['permission']} access.",
                )
                return redirect(f"/{repo.name}/settings/permissions")
        elif action == "revoke_group":
            grant_id = request.POST.get("grant", "")
            grant = (
                RepositoryUserGroupPermission.objects.filter(repository=repo, pk=int(grant_id)).first()
                if grant_id.isascii() and grant_id.isdigit()
                else None
            )
            if grant is not None:
                actions.do_remove_user_group_permission(repo, grant.user_group)
                _log_permissions(request, repo, "revoked", f"user group {grant.user_group.name}")
                messages.success(request, f"Removed the permission of user group {grant.user_group.name}.")
            return redirect(f"/{repo.name}/settings/permissions")
    grants = RepositoryPermission.objects.filter(repository=repo).select_related("user")
    group_grants = RepositoryUserGroupPermission.objects.filter(repository=repo).select_related("user_group")
    return render(
        request,
        "repos/permissions.html",
        {
            "repo": repo,
            "active_tab": "settings",
            "grants": grants,
            "group_grants": group_grants,
            "default_form": default_form,
            "grant_form": grant_form,
            "group_form": group_form,
            "picker_groups": picker_user_groups(request.user),
            "picker_list_id": PICKER_LIST_ID,
        },
    )


@login_required
def fork(request, repo_name):
    source = get_repository_or_404(request, repo_name)
    suggested = f"{request.user.username}/{source.name.rsplit('/', 1)[-1]}"
    form = ForkForm(
        request.POST or None,
        user=request.user,
        initial={"name": suggested, "description": source.description, "private": source.private},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            repo = actions.do_fork_repository(
                source,
                name=data["name"],
                owner=request.user,
                description=data["description"],
                private=data["private"],
                actor=request.user,
            )
        except (ValidationError, UnsafePath, VCSError, OSError) as exc:
            _fail(form, exc)
        else:
            messages.success(request, f"Forked {source.name} into {repo.name}.")
            return redirect(repo.get_absolute_url())
    return render(request, "repos/fork.html", {"repo": source, "active_tab": "", "form": form})


def forks(request, repo_name):
    repo = get_repository_or_404(request, repo_name)
    visible = readable_repositories(request.user).filter(fork_of=repo).select_related("owner")
    return render(request, "repos/forks.html", {"repo": repo, "active_tab": "", "forks": visible})
