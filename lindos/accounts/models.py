"""Users.  Kallithea's user has a username, first and last name, one email
address (unique), an admin flag, an active flag and an API key."""

import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


def new_api_key() -> str:
    return secrets.token_hex(20)


class LindosUserManager(UserManager):
    def get_by_email(self, email: str):
        return self.get(email__iexact=email.strip())

    def admins(self):
        return self.filter(is_superuser=True, is_active=True)


class User(AbstractUser):
    # Kallithea calls the admin flag "admin"; Django's is_superuser is the same.
    email = models.EmailField("email address", max_length=254)
    api_key = models.CharField(max_length=64, unique=True, default=new_api_key)

    objects = LindosUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]
        ordering = ["username"]

    @property
    def is_admin(self) -> bool:
        return self.is_superuser

    @property
    def full_name_or_username(self) -> str:
        """What mails and pages call a person: their full name if set."""
        return self.get_full_name().strip() or self.username

    def reset_api_key(self) -> str:
        self.api_key = new_api_key()
        self.save(update_fields=["api_key"])
        return self.api_key


class UserApiKey(models.Model):
    """An additional API key (Kallithea's ``UserApiKeys``): a description
    and an optional expiry.  The main key (``User.api_key``) stays as it was;
    ``lindos.accounts.api_keys`` is the one place that checks either."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="extra_api_keys")
    # Unique, hence indexed: a key is looked up by value, then compared.
    api_key = models.CharField(max_length=64, unique=True, default=new_api_key)
    description = models.CharField(max_length=255)
    expires = models.DateTimeField(null=True, blank=True)  # None: never
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.user.username}: {self.description}"

    def is_expired(self, now=None) -> bool:
        from django.utils import timezone

        return self.expires is not None and self.expires <= (now or timezone.now())


class RateCounter(models.Model):
    """One fixed-window counter of the rate limits (``lindos.accounts.ratelimit``):
    failed logins per account and address, reset requests, registrations...

    In the database because it is the one store every ``lindos serve``
    process and machine shares, and an ``UPDATE ... SET count = count + 1``
    is atomic there (Django's file and database caches read, add and write
    back, so parallel requests lose counts, and they cull entries at random
    when full, which an attacker can provoke).  ``key`` is a digest: no
    username or address an attacker typed is stored as such.
    """

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key[:12]} {self.count} until {self.expires:%Y-%m-%d %H:%M:%S}"


class PendingRegistration(models.Model):
    """A registration waiting for its address to be confirmed.

    The account is made only when the link mailed to the address is
    followed, so the registration form answers the same whether or not the
    address is in use (the owner of a used address gets a warning instead of
    a link), and a pending registration holds no username: a username is
    taken when an account exists, never by an unconfirmed attempt that would
    otherwise show whether an address was free.  ``token_hash`` is the
    SHA-256 of the link's token; ``password`` is hashed like a user's.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    username = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    password = models.CharField(max_length=128)
    expires = models.DateTimeField(db_index=True)


USER_GROUP_NAME_HELP = "Letters, digits, '.', '_' and '-', starting with a letter or digit (at most 100)."


def validate_user_group_name(name: str) -> None:
    """Kallithea's rule for user group names: an alphanumeric first
    character, then letters, digits, '-', '_' and '.'; no '/', spaces,
    markup or control characters, so a name is safe in URLs, mails and
    pages as it is."""
    import re

    from django.core.exceptions import ValidationError

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", name or ""):
        raise ValidationError(f"Invalid user group name. {USER_GROUP_NAME_HELP}")


#: Levels of a permission on a user group (Kallithea's ``usergroup.*``), in
#: increasing order; the same words as on repositories.
USER_GROUP_PERMISSIONS = [("none", "None"), ("read", "Read"), ("write", "Write"), ("admin", "Admin")]


class UserGroup(models.Model):
    """A named set of users (Kallithea's ``UserGroup``).

    Permissions granted to a group on repositories, repository groups and
    other user groups count for each member while the group is active
    (``lindos.repos.permissions``).  Who may see and manage the group itself
    is the strongest of its default permission, a user's own grant
    (``UserGroupPermission``) and their groups' grants
    (``UserGroupUserGroupPermission``); its owner and the site's admins
    always have admin.
    """

    name = models.CharField(max_length=100, unique=True, validators=[validate_user_group_name])
    description = models.TextField(blank=True, default="")
    active = models.BooleanField(default=True)
    # What every logged-in user may do with the group (Kallithea's default
    # user's row on it): read lets them see it in pickers and the API and
    # grant it permissions on what they administer; admin lets them manage it.
    default_permission = models.CharField(max_length=8, choices=USER_GROUP_PERMISSIONS, default="read")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_user_groups")
    members = models.ManyToManyField(User, related_name="user_groups", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GlobalPermission(models.TextChoices):
    """Site-wide rights a user may hold beyond the defaults (Kallithea's
    ``hg.create.repository``, ``hg.repogroup.create.true``,
    ``hg.usergroup.create.true`` and ``hg.fork.repository``)."""

    CREATE_REPOSITORY = "create_repository", "Create repositories"
    CREATE_REPO_GROUP = "create_repo_group", "Create top-level repository groups"
    CREATE_USER_GROUP = "create_user_group", "Create user groups"
    FORK = "fork", "Fork repositories"


class GlobalPermissionGrant(models.Model):
    """One site-wide right given to a user or to a user group, on top of what
    Admin > Permissions gives everyone (the strongest wins, as in Kallithea:
    a grant can only add a right, never take the default one away)."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="global_permission_grants"
    )
    user_group = models.ForeignKey(
        UserGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="global_permission_grants"
    )
    permission = models.CharField(max_length=32, choices=GlobalPermission.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, user_group__isnull=True)
                | models.Q(user__isnull=True, user_group__isnull=False),
                name="global_grant_user_xor_group",
            ),
            models.UniqueConstraint(fields=["user", "permission"], name="global_grant_one_per_user"),
            models.UniqueConstraint(fields=["user_group", "permission"], name="global_grant_one_per_group"),
        ]


class UserGroupPermission(models.Model):
    """A user's permission on a user group (Kallithea's ``UserUserGroupToPerm``)."""

    target_user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, related_name="user_permissions"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_group_permissions")
    permission = models.CharField(max_length=8, choices=USER_GROUP_PERMISSIONS)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_user_group", "user"], name="user_group_permission_one_per_user"
            )
        ]
        ordering = ["user__username"]


class UserGroupUserGroupPermission(models.Model):
    """A user group's permission on another user group: each member of the
    (active) ``user_group`` gets it (Kallithea's ``UserGroupUserGroupToPerm``)."""

    target_user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, related_name="user_group_permissions"
    )
    user_group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, related_name="permissions_on_user_groups"
    )
    permission = models.CharField(max_length=8, choices=USER_GROUP_PERMISSIONS)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_user_group", "user_group"], name="user_group_permission_one_per_user_group"
            ),
            # Kallithea refuses it too: a group's members would manage the group through itself.
            models.CheckConstraint(
                condition=~models.Q(target_user_group=models.F("user_group")),
                name="user_group_permission_not_on_itself",
            ),
        ]
        ordering = ["user_group__name"]
