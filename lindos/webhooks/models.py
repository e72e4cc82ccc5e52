"""Webhooks and their deliveries.

A ``Webhook`` belongs to one repository: a receiver URL, a secret for the
signature, and the events it wants.  Every event it wants becomes one
``WebhookDelivery`` row, written in the transaction of the action that
caused it (a push, a comment ...), so a committed action always gets its
delivery and a rolled-back one never does.  The worker claims rows as it
claims mail (``lindos.notifications.claims``) and records every try as a
``WebhookAttempt`` (status code, time taken, error) for the settings page.
"""

from django.conf import settings
from django.db import models

from lindos.notifications.models import QueueItem
from lindos.repos.models import Repository


class Event(models.TextChoices):
    PUSH = "push", "Push"
    PR_OPENED = "pull_request_opened", "Pull request opened"
    PR_UPDATED = "pull_request_updated", "Pull request updated"
    PR_CLOSED = "pull_request_closed", "Pull request closed"
    COMMENT = "comment", "Comment"
    STATUS = "status", "Review status"


class Webhook(models.Model):
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=255, blank=True)
    events = models.JSONField(default=list)  # Event values
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.repository.name} -> {self.url}"

    def wants(self, event: str) -> bool:
        return self.active and event in (self.events or [])

    @property
    def secret_hint(self) -> str:
        """What pages show of the secret: never more than its last 4 characters."""
        if not self.secret:
            return "(none)"
        return "…" + self.secret[-4:] if len(self.secret) >= 12 else "(set)"


class WebhookDelivery(QueueItem):
    """One event for one webhook: the exact body sent on every try."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"
    STATES = [(s, s) for s in (PENDING, SENDING, DELIVERED, FAILED)]

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    guid = models.CharField(max_length=36, unique=True)
    event = models.CharField(max_length=40)
    payload = models.TextField()
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    status_code = models.PositiveIntegerField(null=True, blank=True)  # of the last try
    duration_ms = models.PositiveIntegerField(null=True, blank=True)  # of the last try
    delivered_at = models.DateTimeField(null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]
        ordering = ["-id"]

    def __str__(self):
        return f"#{self.pk} {self.event} to {self.webhook.url} ({self.state})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
