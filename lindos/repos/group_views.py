"""Repository group pages: the list (``/_admin/repo_groups``), creation,
settings (rename and move), permissions, deletion, and the group's own page
at its path (``/team/sub``) listing the subgroups and repositories in it.

Every page looks the group up through ``get_repo_group_or_404`` with the
level it needs: a group the visitor may not read is a 404, as a repository is.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lindos.accounts.user_groups import PICKER_LIST_ID, picker_user_groups
from lindos.activity.log import client_address, record_action
from lindos.repos import group_actions as actions
from lindos.repos.group_forms import (
    GroupDefaultForm,
    GroupGrantForm,
    RepoGroupCreateForm,
    RepoGroupSettingsForm,
)
from lindos.repos.models import RepoGroupPermission, RepoGroupUserGroupPermission
from lindos.repos.permissions import get_repo_group_or_404, readable_repo_groups, readable_repositories
from lindos.repos.storage import UnsafePath


def _log(request, action: str, detail: str) -> None:
    """An admin log line, named as Lindos's API writes it
    (``lindos.api.action_log``)."""
    record_action(request.user, action, detail=detail, address=client_address(request))


def _fail(form, exc):
    form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))


def _edit_url(group) -> str:
    return f"/_admin/repo_groups/{group.name}/edit"


def group_list(request):
    groups = readable_repo_groups(request.user).order_by("name")
    return render(request, "repos/groups/list.html", {"groups": groups})


def group_page(request, group_name):
    """The group's page: subgroups and repositories directly inside it."""
    group = get_repo_group_or_404(request, group_name)
    below = group.name + "/"
    depth = group.name.count("/") + 1
    subgroups = [
        g
        for g in readable_repo_groups(request.user).filter(name__startswith=below)
        if g.name.count("/") == depth
    ]
    repositories = [
        r
        for r in readable_repositories(request.user).filter(name__startswith=below).order_by("name")
        if r.name.count("/") == depth
    ]
    for repo in repositories:
        repo.short_name = repo.name[len(below) :]
    return render(
        request,
        "repos/groups/page.html",
        {"group": group, "subgroups": sorted(subgroups, key=lambda g: g.name), "repositories": repositories},
    )


@login_required
def group_create(request):
    parent = request.GET.get("parent", "").replace("\x00", "")[:200]
    form = RepoGroupCreateForm(request.POST or None, initial={"name": f"{parent}/" if parent else ""})
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.do_create_repo_group(owner=request.user, actor=request.user, **form.cleaned_data)
        except (ValidationError, UnsafePath, OSError) as exc:
            _fail(form, exc)
        else:
            _log(request, "admin_created_repo_group", group.name)
            messages.success(request, f"Created repository group {group.name}.")
            return redirect(group.get_absolute_url())
    return render(request, "repos/groups/create.html", {"form": form})


@login_required
def group_edit(request, group_name):
    group = get_repo_group_or_404(request, group_name, need="admin")
    initial = {"name": group.name, "description": group.description, "owner": group.owner.username}
    form = RepoGroupSettingsForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.do_update_repo_group(group, actor=request.user, **data)
        except (ValidationError, UnsafePath, OSError) as exc:
            _fail(form, exc)
        else:
            _log(request, "admin_updated_repo_group", group.name)
            messages.success(request, "Repository group saved.")
            return redirect(_edit_url(group))
    subgroups, repos = actions.contents(group)
    return render(
        request,
        "repos/groups/edit.html",
        {"group": group, "form": form, "empty": not (subgroups.exists() or repos.exists())},
    )


@login_required
def group_permissions(request, group_name):
    group = get_repo_group_or_404(request, group_name, need="admin")
    default_form = GroupDefaultForm(
        initial={"default_permission": group.default_permission}, auto_id="default_%s"
    )
    grant_form = GroupGrantForm(
        auto_id="grant_%s", actor=request.user
    )  # both forms have "recursive": distinct ids
    if request.method == "POST":
        action = request.POST.get("action")
        recursive = request.POST.get("recursive", "none")
        if action == "default":
            default_form = GroupDefaultForm(request.POST, auto_id="default_%s")
            if default_form.is_valid():
                actions.do_set_repo_group_default(
                    group,
                    default_form.cleaned_data["default_permission"],
                    default_form.cleaned_data["recursive"],
                )
                _log(
                    request,
                    "admin_changed_repo_group_permissions",
                    f"{group.name}: everyone: group.{default_form.cleaned_data['default_permission']}"
                    f" (recursive:{default_form.cleaned_data['recursive']})",
                )
                messages.success(request, "Permission for everyone saved.")
                return redirect(f"/_admin/repo_groups/{group.name}/permissions")
        elif action == "grant":
            grant_form = GroupGrantForm(request.POST, auto_id="grant_%s", actor=request.user)
            if grant_form.is_valid():
                data = grant_form.cleaned_data
                actions.do_set_repo_group_permission(
                    group,
                    permission=data["permission"],
                    user=data.get("user"),
                    user_group=data.get("group"),
                    recursive=data["recursive"],
                )
                who = (
                    f"user {data['user'].username}"
                    if data.get("user")
                    else f"user group {data['group'].name}"
                )
                _log(
                    request,
                    "admin_changed_repo_group_permissions",
                    f"{group.name}: {who}: group.{data['permission']} (recursive:{data['recursive']})",
                )
                messages.success(request, "Permission saved.")
                return redirect(f"/_admin/repo_groups/{group.name}/permissions")
        elif action in ("revoke_user", "revoke_group"):
            grant_id = request.POST.get("grant", "")
            model = RepoGroupPermission if action == "revoke_user" else RepoGroupUserGroupPermission
            grant = (
                model.objects.filter(group=group, pk=int(grant_id)).first()
                if grant_id.isascii() and grant_id.isdigit()
                else None
            )
            if grant is not None and recursive in actions.RECURSIVE_CHOICES:
                who = {"user": grant.user} if action == "revoke_user" else {"user_group": grant.user_group}
                actions.do_remove_repo_group_permission(group, recursive=recursive, **who)
                named = (
                    f"user {grant.user.username}"
                    if action == "revoke_user"
                    else f"user group {grant.user_group.name}"
                )
                _log(
                    request,
                    "admin_revoked_repo_group_permissions",
                    f"{group.name}: {named} (recursive:{recursive})",
                )
                messages.success(request, "Permission removed.")
            return redirect(f"/_admin/repo_groups/{group.name}/permissions")
    return render(
        request,
        "repos/groups/permissions.html",
        {
            "group": group,
            "default_form": default_form,
            "grant_form": grant_form,
            "user_grants": group.user_permissions.select_related("user"),
            "group_grants": group.user_group_permissions.select_related("user_group"),
            "picker_groups": picker_user_groups(request.user),
            "picker_list_id": PICKER_LIST_ID,
        },
    )


@login_required
@require_POST
def group_delete(request, group_name):
    group = get_repo_group_or_404(request, group_name, need="admin")
    try:
        actions.do_delete_repo_group(group)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_edit_url(group))
    _log(request, "admin_deleted_repo_group", group.name)
    messages.success(request, f"Deleted repository group {group_name}.")
    return redirect("repo_groups")
