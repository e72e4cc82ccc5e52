"""The part every permissions page's "grant" form shares: a grant names
either a user (``username``) or a user group (``user_group``) that the one
granting (``actor``) may read, as in Kallithea: a group they may not read
is "no such group", alike to one that does not exist."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from lindos.accounts.user_groups import PICKER_LIST_ID, find_pickable_user_group


class UserOrUserGroupGrantForm(forms.Form):
    """Cleans to ``user`` or ``group``; subclasses add the level fields."""

    username = forms.CharField(max_length=150, required=False, label="User")
    user_group = forms.CharField(
        max_length=100,
        required=False,
        label="or user group",
        widget=forms.TextInput(attrs={"list": PICKER_LIST_ID}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        data = super().clean()
        username, group_name = data.get("username", "").strip(), data.get("user_group", "").strip()
        if bool(username) == bool(group_name):
            raise ValidationError("Name either a user or a user group.")
        if username:
            data["user"] = get_user_model().objects.filter(username__iexact=username).first()
            if data["user"] is None:
                raise ValidationError(f"There is no user '{username}'.")
        else:
            data["group"] = find_pickable_user_group(self.actor, group_name)
            if data["group"] is None:
                raise ValidationError(f"There is no active user group '{group_name}'.")
        return data
