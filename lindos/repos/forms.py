"""Forms for creating, forking and configuring repositories."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from lindos.repos.actions import check_name_available
from lindos.repos.models import Kind, Permission
from lindos.repos.storage import UnsafePath

NAME_HELP = "Letters, digits, '.', '_' and '-'; use '/' for groups, as in <code>team/project</code>."


class RepositoryNameField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", NAME_HELP)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().strip("/")


def clean_new_name(name: str, viewer, exclude_pk: int | None = None) -> str:
    try:
        check_name_available(name, exclude_pk=exclude_pk, viewer=viewer)
    except UnsafePath:
        raise ValidationError("That name points outside the repository folder.")
    return name


class OwnerField(forms.CharField):
    """An owner given by username (admins only)."""

    def clean(self, value):
        username = super().clean(value).strip()
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise ValidationError(f"There is no active user '{username}'.")
        return user


class RepositoryCreateForm(forms.Form):
    name = RepositoryNameField()
    kind = forms.ChoiceField(label="Type", choices=Kind.choices, initial=Kind.GIT)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    private = forms.BooleanField(required=False, help_text="Only people given access can see it.")
    copy_group_permissions = forms.BooleanField(
        required=False,
        initial=True,
        label="Copy the group's permissions",
        help_text="Start with the grants and the permission for everyone of the group it is created in.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_superuser:
            self.fields["owner"] = OwnerField(initial=user.username, help_text="Username of the owner.")

    def clean_name(self):
        return clean_new_name(self.cleaned_data["name"], self.user)


class RepositorySettingsForm(forms.Form):
    name = RepositoryNameField(help_text=NAME_HELP + " Renaming changes the clone URL.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    private = forms.BooleanField(
        required=False,
        help_text=("Only people given access can see it. Changing this resets the permission for everyone."),
    )
    landing_rev = forms.CharField(
        label="Landing revision",
        required=False,
        max_length=255,
        help_text="Branch or tag the pages show by default (empty: the default branch).",
    )
    enable_statistics = forms.BooleanField(
        label="Enable statistics",
        required=False,
        help_text="Count commit activity in the background and show it on the statistics page.",
    )
    enable_downloads = forms.BooleanField(
        label="Enable downloads",
        required=False,
        help_text="Offer zip and tar archives of any revision for download.",
    )

    def __init__(self, *args, repo, user, **kwargs):
        self.repo = repo
        self.user = user
        initial = {
            "name": repo.name,
            "description": repo.description,
            "private": repo.private,
            "landing_rev": repo.landing_rev,
            "enable_statistics": repo.enable_statistics,
            "enable_downloads": repo.enable_downloads,
            "owner": repo.owner.username,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if user.is_superuser:
            self.fields["owner"] = OwnerField(help_text="Username of the owner.")

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name == self.repo.name:
            return name
        if name.lower().startswith(self.repo.name.lower() + "/"):
            raise ValidationError("A repository cannot be moved inside itself.")
        return clean_new_name(name, self.user, exclude_pk=self.repo.pk)


class ForkForm(forms.Form):
    name = RepositoryNameField(label="Fork name")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    private = forms.BooleanField(
        required=False,
        help_text=("A fork of a private repository stays private unless you are an admin of it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        return clean_new_name(self.cleaned_data["name"], self.user)


class DefaultPermissionForm(forms.Form):
    default_permission = forms.ChoiceField(
        label="Everyone (anonymous and logged-in)", choices=Permission.choices
    )


class GrantForm(forms.Form):
    username = forms.CharField(max_length=150)
    permission = forms.ChoiceField(choices=Permission.choices, initial=Permission.READ)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise ValidationError(f"There is no user '{username}'.")
        self.cleaned_data["user"] = user
        return username


class DeleteForm(forms.Form):
    confirm = forms.CharField(label="Type the repository's name to confirm")

    def __init__(self, *args, repo, **kwargs):
        self.repo = repo
        super().__init__(*args, **kwargs)

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != self.repo.name:
            raise ValidationError("That is not the repository's name.")
        return self.cleaned_data["confirm"]
