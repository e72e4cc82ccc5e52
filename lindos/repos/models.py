"""Repositories, who may do what with them, and what happened to them.

A repository row names a directory below the repository root (see
``lindos.repos.storage``); the row is the source of truth for ownership,
privacy and permissions, the directory for the history itself.
"""

from django.conf import settings
from django.db import models

from lindos.repos.storage import validate_repository_name


class Kind(models.TextChoices):
    GIT = "git", "Git"
    HG = "hg", "Mercurial"


class Permission(models.TextChoices):
    """Levels in increasing order: each includes the ones before it."""

    NONE = "none", "None"
    READ = "read", "Read"
    WRITE = "write", "Write"
    ADMIN = "admin", "Admin"


#: Rank of each permission level, for "at least" comparisons.
PERMISSION_RANK = {"none": 0, "read": 1, "write": 2, "admin": 3}


class Repository(models.Model):
    name = models.CharField(max_length=200, unique=True, validators=[validate_repository_name])
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.GIT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_repositories"
    )
    description = models.TextField(blank=True, default="")
    private = models.BooleanField(default=False)
    # Kallithea's "landing revision": the branch or tag the file browser and
    # summary start at. Empty means the repository's default (git HEAD).
    landing_rev = models.CharField(max_length=255, blank=True, default="")
    # What everyone (anonymous visitors and every logged-in user without an
    # explicit grant) may do. Ignored while the repository is private.
    default_permission = models.CharField(max_length=8, choices=Permission.choices, default=Permission.READ)
    fork_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks"
    )
    # Kallithea's per-repository switches (columns ``statistics`` and
    # ``downloads``, default true). Off, the background worker counts
    # nothing for the repository and its archives are not offered.
    enable_statistics = models.BooleanField(default=True)
    enable_downloads = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "repositories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"/{self.name}"

    @property
    def path(self) -> str:
        """The repository's directory (checked to lie inside the root)."""
        from lindos.repos.storage import repository_path

        return repository_path(self.name)

    @property
    def name_segments(self) -> list[dict]:
        """``[{'name': 'group', 'prefix': 'group'}, ...]``, for breadcrumbs."""
        parts = self.name.split("/")
        return [{"name": part, "prefix": "/".join(parts[: i + 1])} for i, part in enumerate(parts)]


class RepositoryPermission(models.Model):
    """An explicit grant to one user; the strongest of it, the user's groups'
    grants and the default permission is what they get (Kallithea's rule)."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="user_permissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repository_permissions"
    )
    permission = models.CharField(max_length=8, choices=Permission.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["repository", "user"], name="repo_permission_one_per_user")
        ]
        ordering = ["user__username"]


class RepositoryUserGroupPermission(models.Model):
    """A grant to a user group: each member of the (active) group gets it,
    the strongest of all their grants and the default winning."""

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="user_group_permissions"
    )
    user_group = models.ForeignKey(
        "accounts.UserGroup", on_delete=models.CASCADE, related_name="repository_permissions"
    )
    permission = models.CharField(max_length=8, choices=Permission.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_group", "repository"], name="repo_permission_one_per_user_group"
            )
        ]
        ordering = ["user_group__name"]


class RepoGroup(models.Model):
    """A repository group (Kallithea's ``RepoGroup``): a folder below the
    repository root. ``name`` is the full path (``team/sub``), the prefix of
    the names of the repositories and groups inside it, so nesting needs no
    parent column: the parent of ``team/sub`` is ``team``.

    Its permissions say who sees the group's page (read), who may create
    repositories in it (write) and subgroups and manage it (admin). They
    reach the repositories inside when set with "apply to children" and
    when a repository or subgroup is created in the group (its grants are
    copied), as in Kallithea; a repository's own permissions decide what
    may be done with it.
    """

    name = models.CharField(max_length=200, unique=True, validators=[validate_repository_name])
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_repo_groups"
    )
    # What everyone (anonymous visitors and every logged-in user without a
    # grant) may do with the group, as the default user's grant in Kallithea.
    default_permission = models.CharField(max_length=8, choices=Permission.choices, default=Permission.READ)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"/{self.name}"

    @property
    def parent_name(self) -> str:
        """The enclosing group's name, or "" at the top level."""
        return self.name.rpartition("/")[0]

    @property
    def short_name(self) -> str:
        return self.name.rpartition("/")[2]

    @property
    def name_segments(self) -> list[dict]:
        parts = self.name.split("/")
        return [{"name": part, "prefix": "/".join(parts[: i + 1])} for i, part in enumerate(parts)]


class RepoGroupPermission(models.Model):
    group = models.ForeignKey(RepoGroup, on_delete=models.CASCADE, related_name="user_permissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repo_group_permissions"
    )
    permission = models.CharField(max_length=8, choices=Permission.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_permission_one_per_user")
        ]
        ordering = ["user__username"]


class RepoGroupUserGroupPermission(models.Model):
    group = models.ForeignKey(RepoGroup, on_delete=models.CASCADE, related_name="user_group_permissions")
    user_group = models.ForeignKey(
        "accounts.UserGroup", on_delete=models.CASCADE, related_name="repo_group_permissions"
    )
    permission = models.CharField(max_length=8, choices=Permission.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_group", "group"], name="group_permission_one_per_user_group"
            )
        ]
        ordering = ["user_group__name"]


class JournalAction(models.TextChoices):
    PUSH = "push", "pushed"
    CREATE = "create", "created the repository"
    FORK = "fork", "forked the repository"


class JournalEntry(models.Model):
    """One thing that happened to a repository, for its activity journal.

    A push records which refs moved, as ``[{"ref", "old", "new"}, ...]`` with
    full hashes; an all-zero hash means "did not exist" (git's convention).
    """

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="journal")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=JournalAction.choices)
    ref_changes = models.JSONField(default=list, blank=True)
    # For a fork: the name of the new repository (it may be deleted later).
    detail = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "journal entries"
