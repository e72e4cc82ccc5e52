"""Application settings kept in the database and changed from the admin pages
(Kallithea's "Admin > Settings"), as opposed to the INI file."""

from django.db import models


class RegistrationMode(models.TextChoices):
    DISABLED = "disabled", "Registration disabled"
    MANUAL = "manual", "Registration with manual account activation"
    AUTOMATIC = "automatic", "Registration with automatic account activation"


class DefaultPermission(models.TextChoices):
    NONE = "none", "None"
    READ = "read", "Read"
    WRITE = "write", "Write"
    ADMIN = "admin", "Admin"


class AppSettings(models.Model):
    """A single row (id 1) of site-wide settings."""

    title = models.CharField(max_length=100, default="Lindos")
    # Kallithea's default: new accounts wait for an admin to activate them.
    registration = models.CharField(
        max_length=16, choices=RegistrationMode.choices, default=RegistrationMode.MANUAL
    )
    default_repo_permission = models.CharField(
        max_length=8,
        choices=DefaultPermission.choices,
        default=DefaultPermission.READ,
        help_text="Permission everyone (including anonymous visitors) has on new public repositories.",
    )
    default_group_permission = models.CharField(
        max_length=8,
        choices=DefaultPermission.choices,
        default=DefaultPermission.READ,
        help_text="Permission everyone has on new repository groups.",
    )
    default_user_group_permission = models.CharField(
        max_length=8,
        choices=DefaultPermission.choices,
        default=DefaultPermission.READ,
        help_text="Permission every logged-in user has on new user groups.",
    )
    # Kallithea's "anonymous access": off, visitors must log in for
    # everything (pages, clones, the API without a key).
    anonymous_access = models.BooleanField(default=True)
    # Who may do what without a grant of their own (Kallithea's defaults:
    # repositories and forks yes, repository groups and user groups no).
    create_repositories = models.BooleanField(default=True)
    create_repo_groups = models.BooleanField(default=False)
    create_user_groups = models.BooleanField(default=False)
    fork_repositories = models.BooleanField(default=True)
    # "This install sends no mail": set on Admin > Email; silences the
    # admins' banner about mail that cannot be sent.
    mail_off = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "application settings"
