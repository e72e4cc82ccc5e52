"""A user group's permissions page (``/_admin/user_groups/<id>/edit/perms``,
Kallithea's URL): what every logged-in user may do with the group, and the
grants to users and to other user groups. For those who manage the group;
the levels are explained in ``lindos.repos.permissions``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from lindos.accounts import user_groups as actions
from lindos.accounts.grant_forms import UserOrUserGroupGrantForm
from lindos.accounts.models import USER_GROUP_PERMISSIONS, UserGroupPermission, UserGroupUserGroupPermission
from lindos.repos.permissions import get_user_group_or_404


class UserGroupDefaultForm(forms.Form):
    default_permission = forms.ChoiceField(label="Every logged-in user", choices=USER_GROUP_PERMISSIONS)


class UserGroupGrantForm(UserOrUserGroupGrantForm):
    """A grant on a user group to a user or to another user group."""

    permission = forms.ChoiceField(choices=USER_GROUP_PERMISSIONS, initial="read")


def _grant_or_none(model, group, grant_id: str):
    # A tampered form's non-number id is "no such grant", not a 500.
    if not (grant_id.isascii() and grant_id.isdigit() and len(grant_id) < 19):
        return None
    return model.objects.filter(target_user_group=group, pk=int(grant_id)).first()


@login_required
def user_group_permissions(request, group_id):
    group = get_user_group_or_404(request, group_id, need="admin")
    url = f"/_admin/user_groups/{group.pk}/edit/perms"
    default_form = UserGroupDefaultForm(initial={"default_permission": group.default_permission})
    grant_form = UserGroupGrantForm(actor=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "default":
            default_form = UserGroupDefaultForm(request.POST)
            if default_form.is_valid():
                actions.do_set_user_group_default(group, default_form.cleaned_data["default_permission"])
                messages.success(request, "Permission for everyone saved.")
                return redirect(url)
        elif action == "grant":
            grant_form = UserGroupGrantForm(request.POST, actor=request.user)
            if grant_form.is_valid():
                data = grant_form.cleaned_data
                try:
                    actions.do_set_user_group_grant(
                        group, data["permission"], user=data.get("user"), user_group=data.get("group")
                    )
                except ValidationError as exc:
                    grant_form.add_error(None, "; ".join(exc.messages))
                else:
                    messages.success(request, "Permission saved.")
                    return redirect(url)
        elif action in ("revoke_user", "revoke_group"):
            model = UserGroupPermission if action == "revoke_user" else UserGroupUserGroupPermission
            grant = _grant_or_none(model, group, request.POST.get("grant", ""))
            if grant is not None:
                who = {"user": grant.user} if action == "revoke_user" else {"user_group": grant.user_group}
                actions.do_remove_user_group_grant(group, **who)
                messages.success(request, "Permission removed.")
            if not actions.may_manage(request.user, group):  # they took their own admin away
                return redirect("admin_user_groups")
            return redirect(url)
    return render(
        request,
        "accounts/user_group_permissions.html",
        {
            "group": group,
            "default_form": default_form,
            "grant_form": grant_form,
            "user_grants": group.user_permissions.select_related("user"),
            "group_grants": group.user_group_permissions.select_related("user_group"),
            "picker_groups": actions.picker_user_groups(request.user),
            "picker_list_id": actions.PICKER_LIST_ID,
        },
    )
