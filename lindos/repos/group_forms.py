"""Forms of the repository group pages."""

from django import forms
from django.core.exceptions import ValidationError

from lindos.accounts.grant_forms import UserOrUserGroupGrantForm
from lindos.accounts.user_groups import PICKER_LIST_ID, find_pickable_user_group
from lindos.repos.forms import NAME_HELP, OwnerField, RepositoryNameField
from lindos.repos.models import Permission

RECURSIVE = [
    ("none", "This group only"),
    ("repos", "This group and the repositories in it"),
    ("groups", "This group and its subgroups"),
    ("all", "This group, its subgroups and all repositories in them"),
]


class RepoGroupCreateForm(forms.Form):
    name = RepositoryNameField(label="Group name", help_text=NAME_HELP.replace("groups", "parent groups"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000)
    copy_permissions = forms.BooleanField(
        required=False, initial=True, label="Copy the parent group's permissions"
    )


class RepoGroupSettingsForm(forms.Form):
    name = RepositoryNameField(
        label="Group name", help_text="The full path: changing it moves the group and everything in it."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=10000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_superuser:
            self.fields["owner"] = OwnerField(help_text="Username of the owner.")


class GroupDefaultForm(forms.Form):
    default_permission = forms.ChoiceField(
        label="Everyone (anonymous and logged-in)", choices=Permission.choices
    )
    recursive = forms.ChoiceField(label="Apply to", choices=RECURSIVE, initial="none")


def _picker():
    return forms.TextInput(attrs={"list": PICKER_LIST_ID})


class GroupGrantForm(UserOrUserGroupGrantForm):
    """A grant on a repository group to a user or a user group."""

    permission = forms.ChoiceField(choices=Permission.choices, initial=Permission.READ)
    recursive = forms.ChoiceField(label="Apply to", choices=RECURSIVE, initial="none")


class RepoUserGroupGrantForm(forms.Form):
    """A grant on a repository to a user group ``actor`` may read."""

    user_group = forms.CharField(max_length=100, label="User group", widget=_picker())
    permission = forms.ChoiceField(choices=Permission.choices, initial=Permission.READ)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_user_group(self):
        name = self.cleaned_data["user_group"].strip()
        group = find_pickable_user_group(self.actor, name)
        if group is None:
            raise ValidationError(f"There is no active user group '{name}'.")
        self.cleaned_data["group"] = group
        return name
