"""Who follows what, the admin log of actions that are not a repository's
journal, and each repository's commit statistics.

A repository's own history of pushes, creations and forks is
``lindos.repos.models.JournalEntry``; the journals and feeds here read it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class UserFollowing(models.Model):
    """One user follows one repository or one other user (Kallithea's
    ``user_followings``): exactly one of the two targets is set."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followings")
    follows_repository = models.ForeignKey(
        "repos.Repository", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    follows_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    follows_from = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "follows_repository"], name="following_one_per_repository"
            ),
            models.UniqueConstraint(fields=["user", "follows_user"], name="following_one_per_user"),
            models.CheckConstraint(
                condition=(Q(follows_repository__isnull=False) & Q(follows_user__isnull=True))
                | (Q(follows_repository__isnull=True) & Q(follows_user__isnull=False)),
                name="following_exactly_one_target",
            ),
        ]
        ordering = ["follows_from", "id"]


class ActionLog(models.Model):
    """An action for the admin log that is not in a repository's journal:
    following and unfollowing, deleting a repository (its journal goes with
    it), managing users. Names are copied so the line stays readable after
    the user or repository is deleted (Kallithea's ``user_logs``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=255, blank=True, default="")
    action = models.CharField(max_length=64)
    detail = models.CharField(max_length=255, blank=True, default="")
    repository = models.ForeignKey(
        "repos.Repository", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repository_name = models.CharField(max_length=255, blank=True, default="")
    address = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class RepositoryStatistics(models.Model):
    """Commit counts of a repository, kept up to date by the background
    worker (``lindos.activity.statistics``).

    ``counted_heads`` are changeset ids whose whole ancestry is counted;
    ``activity`` maps an author key to ``{"name": ..., "days": {"YYYY-MM-DD": commits}}``.
    """

    repository = models.OneToOneField("repos.Repository", on_delete=models.CASCADE, related_name="statistics")
    counted_heads = models.JSONField(default=list, blank=True)
    activity = models.JSONField(default=dict, blank=True)
    commits = models.PositiveIntegerField(default=0)
    # False while the history is only partly counted (the background worker
    # stops each pass after its time budget and queues the next).
    complete = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
