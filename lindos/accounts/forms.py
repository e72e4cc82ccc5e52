"""Account forms: registration, profile, and the admin's user form."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import RegexValidator

from lindos.accounts import throttle
from lindos.accounts.models import User
from lindos.externalauth.errors import LoginUnavailable

# Kallithea's rule: letters, digits and . _ - ; starting with a letter or digit.
username_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    "Use letters, digits, '.', '_' or '-', starting with a letter or digit.",
)
RESERVED_USERNAMES = {"default", "admin_", "_admin", "anonymous"}


def clean_available_username(username: str, exclude_pk=None) -> str:
    """Usernames are unique regardless of case, as in Kallithea."""
    taken = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if username.lower() in RESERVED_USERNAMES or taken.exists():
        raise forms.ValidationError("This username is not available.")
    return username


def clean_unique_email(email: str, exclude_pk=None) -> str:
    email = email.strip()
    taken = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise forms.ValidationError("This email address is already in use.")
    return email


class UsernameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=64, validators=[username_validator], **kwargs)


class RegistrationForm(forms.Form):
    username = UsernameField()
    firstname = forms.CharField(label="First name", max_length=150, required=False)
    lastname = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_confirmation = forms.CharField(widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        return clean_available_username(self.cleaned_data["username"])

    def clean_email(self):
        # Never "already in use": that would tell who has an account here.
        # The address's owner is mailed instead (``addresses``).
        return self.cleaned_data["email"].strip()

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_confirmation"):
            self.add_error("password_confirmation", "The passwords do not match.")
        elif data.get("password"):
            try:
                password_validation.validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]
        labels = {"first_name": "First name", "last_name": "Last name"}

    def clean_email(self):
        # A new address is confirmed by mail first (``addresses``), and one
        # in use is never called so.
        return self.cleaned_data["email"].strip()

    def _get_validation_exclusions(self):
        # The model's unique-address constraint would say "violated" here;
        # the view never saves a new address (the confirmation link does).
        return {*super()._get_validation_exclusions(), "email"}


class AdminUserForm(forms.ModelForm):
    """Create or edit any user; the password is optional when editing."""

    password = forms.CharField(
        widget=forms.PasswordInput,
        strip=False,
        required=False,
        help_text="Leave empty to keep the current password.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "is_active": "Active",
            "is_superuser": "Admin",
        }
        help_texts = {
            "is_superuser": "Admins see and manage everything.",
            "is_active": "Inactive users cannot log in.",
            "username": "",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(username_validator)
        if self.instance.pk is None:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_username(self):
        return clean_available_username(self.cleaned_data["username"], exclude_pk=self.instance.pk)

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def clean_email(self):
        return clean_unique_email(self.cleaned_data["email"], exclude_pk=self.instance.pk)

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, through ``throttle``: a throttled attempt is
    refused (``refusal`` set, its message shown) before the password is
    hashed; every failure and success is recorded.  ``unavailable`` is set
    when an LDAP directory that would check the password did not answer."""

    refusal = None
    unavailable = ""
    ip_refused = ""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        attempt = throttle.begin(username, address, "web")
        self.refusal = attempt.refusal
        if self.refusal is not None:
            raise forms.ValidationError(self.refusal.message, code="throttled")
        try:
            cleaned = super().clean()
        except LoginUnavailable as exc:
            # The directory did not answer: nothing was checked, so no failure counts.
            attempt.abandoned()
            self.unavailable = str(exc)
            raise forms.ValidationError(self.unavailable, code="unavailable")
        except forms.ValidationError:
            attempt.failed()
            raise
        attempt.succeeded(self.user_cache.username)
        return cleaned

    def confirm_login_allowed(self, user):
        """Django's hook after the password was checked: a disabled account,
        and (``lindos.ipaccess``) an account that may not be used from this
        address; either counts as a failed login."""
        super().confirm_login_allowed(user)
        from lindos.ipaccess.access import is_allowed

        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        if not is_allowed(user, address, self.request):
            self.ip_refused = f"This account may not sign in from your address ({address or 'unknown'})."
            raise forms.ValidationError(self.ip_refused, code="ip_not_allowed")


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """ "My account" > change password: the old password is a login of its
    own (a stolen session must not guess it freely), throttled the same way."""

    refusal = None

    def __init__(self, user, *args, address=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.address = address

    def clean_old_password(self):
        attempt = throttle.begin(self.user.username, self.address, "web")
        self.refusal = attempt.refusal
        if self.refusal is not None:
            raise forms.ValidationError(self.refusal.message, code="throttled")
        try:
            old = super().clean_old_password()
        except forms.ValidationError:
            attempt.failed()
            raise
        attempt.succeeded(self.user.username)
        return old
