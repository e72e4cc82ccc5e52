"""Admin > User groups (``/_admin/user_groups``): list, create, edit
(name, description, active, owner), members, site-wide rights, delete.

The list shows the groups one manages (admin on them: the site's admins
see all); anyone with the "create user groups" right may create one. A
group one may not read is a 404, whether or not it exists; one readable
but not managed is a 403. Its permissions page is
``user_group_permission_views``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lindos.accounts import user_groups as actions
from lindos.accounts.models import USER_GROUP_NAME_HELP, GlobalPermission, User, UserGroup
from lindos.activity.log import client_address, record_action
from lindos.repos.permissions import get_user_group_or_404, has_global_permission


class UserGroupForm(forms.Form):
    name = forms.CharField(max_length=100, help_text=USER_GROUP_NAME_HELP)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000)
    active = forms.BooleanField(required=False, initial=True)


class OwnerForm(forms.Form):
    owner = forms.CharField(max_length=150, help_text="Username of the new owner.")

    def clean_owner(self):
        user = User.objects.filter(
            username__iexact=self.cleaned_data["owner"].strip(), is_active=True
        ).first()
        if user is None:
            raise ValidationError("There is no active user by that name.")
        return user


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150, label="Add a member")

    def clean_username(self):
        user = User.objects.filter(username__iexact=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise ValidationError("There is no user by that name.")
        return user


class GlobalRightsForm(forms.Form):
    rights = forms.MultipleChoiceField(
        choices=GlobalPermission.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Site-wide rights of the members",
        help_text="On top of what Admin > Permissions gives everyone.",
    )


def _group_or_404(request, group_id) -> UserGroup:
    """The group if the user manages it (``Http404``: none they may read;
    ``PermissionDenied``: read-only for them)."""
    return get_user_group_or_404(request, group_id, need="admin")


def _log(request, action: str, detail: str) -> None:
    """An admin log line, named as Kallithea's user group pages (and
    Lindos's API, ``lindos.api.action_log``) write them."""
    record_action(request.user, action, detail=detail, address=client_address(request))


def _fail(form, exc):
    form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))


@login_required
def user_group_list(request):
    groups = actions.visible_user_groups(request.user).select_related("owner")
    return render(
        request,
        "accounts/user_group_list.html",
        {"groups": groups, "may_create": has_global_permission(request.user, "create_user_group")},
    )


@login_required
def user_group_create(request):
    if not has_global_permission(request.user, "create_user_group"):
        raise Http404("No such page")
    form = UserGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.do_create_user_group(owner=request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(form, exc)
        else:
            _log(request, "admin_created_users_group", group.name)
            messages.success(request, f"Created user group {group.name}.")
            return redirect("admin_user_group_edit", group.pk)
    return render(request, "accounts/user_group_form.html", {"form": form, "creating": True})


@login_required
def user_group_edit(request, group_id):
    group = _group_or_404(request, group_id)
    form = UserGroupForm(
        None, initial={"name": group.name, "description": group.description, "active": group.active}
    )
    owner_form = OwnerForm(initial={"owner": group.owner.username})
    member_form = MemberForm()
    rights = list(group.global_permission_grants.values_list("permission", flat=True))
    rights_form = GlobalRightsForm(initial={"rights": rights})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "settings":
            form = UserGroupForm(request.POST)
            if form.is_valid():
                try:
                    actions.do_update_user_group(group, **form.cleaned_data)
                except ValidationError as exc:
                    _fail(form, exc)
                else:
                    _log(request, "admin_updated_users_group", group.name)
                    messages.success(request, "User group saved.")
                    return redirect("admin_user_group_edit", group.pk)
        elif action == "owner":
            owner_form = OwnerForm(request.POST)
            if owner_form.is_valid():
                actions.do_update_user_group(group, owner=owner_form.cleaned_data["owner"])
                _log(request, "admin_updated_users_group", group.name)
                messages.success(request, f"{group.owner.username} now owns the group.")
                if not actions.may_manage(request.user, group):
                    return redirect("admin_user_groups")
                return redirect("admin_user_group_edit", group.pk)
        elif action == "add_member":
            member_form = MemberForm(request.POST)
            if member_form.is_valid():
                actions.do_add_member(group, member_form.cleaned_data["username"])
                _log(
                    request,
                    "admin_updated_users_group",
                    f"{group.name}: added {member_form.cleaned_data['username'].username}",
                )
                messages.success(request, f"Added {member_form.cleaned_data['username'].username}.")
                return redirect("admin_user_group_edit", group.pk)
        elif action == "remove_member":
            member_id = request.POST.get("member", "")
            member = (
                group.members.filter(pk=int(member_id)).first()
                if member_id.isascii() and member_id.isdigit()
                else None
            )
            if member is not None:
                actions.do_remove_member(group, member)
                _log(request, "admin_updated_users_group", f"{group.name}: removed {member.username}")
                messages.success(request, f"Removed {member.username}.")
            return redirect("admin_user_group_edit", group.pk)
        elif action == "rights" and request.user.is_superuser:
            rights_form = GlobalRightsForm(request.POST)
            if rights_form.is_valid():
                actions.do_set_global_permissions(user_group=group, names=rights_form.cleaned_data["rights"])
                messages.success(request, "Site-wide rights saved.")
                return redirect("admin_user_group_edit", group.pk)
    return render(
        request,
        "accounts/user_group_form.html",
        {
            "group": group,
            "form": form,
            "owner_form": owner_form,
            "member_form": member_form,
            "rights_form": rights_form if request.user.is_superuser else None,
            "members": group.members.order_by("username"),
        },
    )


@login_required
@require_POST
def user_group_delete(request, group_id):
    group = _group_or_404(request, group_id)
    name = group.name
    actions.do_delete_user_group(group)
    _log(request, "admin_deleted_users_group", name)
    messages.success(request, f"Deleted user group {name}.")
    return redirect("admin_user_groups")
