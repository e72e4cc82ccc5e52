"""Notification email: events in, durable outbox rows out, delivered by a worker.

The single entry point for the rest of Lindos is ``notify(event)`` (events in
``lindos.notifications.events``); ``pipeline`` describes the policy.
Background workers call ``lindos.notifications.delivery.deliver_due()``.
"""


def notify(event, **kwargs):
    """Record the mails `event` causes, in the caller's transaction."""
    from lindos.notifications.pipeline import notify as pipeline_notify

    return pipeline_notify(event, **kwargs)
