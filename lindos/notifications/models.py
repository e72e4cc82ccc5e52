"""The two-stage outbox.

A ``PendingNotification`` (one row per event) is written in the transaction
of the action that caused it; a worker expands it (``expand``) into
``OutboxMail`` rows (one per mail and recipient) and delivers those
(``delivery``)."""

from django.conf import settings
from django.db import models


class QueueItem(models.Model):
    """What both queues keep per item: its tries, and the claim of the
    worker working on it (``claims``)."""

    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class PendingNotification(QueueItem):
    """An event waiting to become mail: all a request pays for a notification.

    The event is stored as JSON (``Event.to_json``); recipients, permissions
    and bodies are worked out when a worker expands it, in a transaction of
    its own (``expand``).  Expanded rows stay as a record of what was done.
    """

    PENDING = "pending"
    EXPANDING = "expanding"
    EXPANDED = "expanded"
    STATES = [(s, s) for s in (PENDING, EXPANDING, EXPANDED)]

    event_type = models.CharField(max_length=60)
    event = models.TextField()
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    mails = models.PositiveIntegerField(default=0)  # outbox rows it expanded to
    expanded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due")]
        ordering = ["id"]

    def __str__(self):
        return f"#{self.pk} {self.event_type} ({self.state})"


class OutboxMail(QueueItem):
    """A fully rendered mail waiting for, or past, delivery.

    The message is stored exactly as it will go over the wire, so what the
    worker sends is what was decided when the action committed, whatever
    happens to the data or the templates afterwards.
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DISCARDED = "discarded"
    STATES = [(s, s) for s in (PENDING, SENDING, SENT, FAILED, DISCARDED)]

    mail_type = models.CharField(max_length=40)
    notification_type = models.CharField(max_length=40, blank=True)
    dedupe_key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=60, blank=True)
    envelope_from = models.CharField(max_length=254)
    envelope_to = models.CharField(max_length=254)
    subject = models.TextField(blank=True)
    message = models.TextField()
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    last_reply = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]
        ordering = ["id"]

    def __str__(self):
        return f"#{self.pk} {self.mail_type} to {self.envelope_to} ({self.state})"


class ErrorReport(models.Model):
    """One kind of unhandled error, so that a repeating error is mailed once
    per ``error_email_interval_seconds`` with a count (``error_mail``)."""

    signature = models.CharField(max_length=64, unique=True)
    summary = models.TextField(blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    last_mailed_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    unmailed = models.PositiveIntegerField(default=0)
    # The latest occurrence, already redacted (``ErrorFacts`` as JSON): what
    # the mail about the unmailed repeats shows once the interval has passed.
    last_details = models.TextField(blank=True)

    def __str__(self):
        return self.summary
