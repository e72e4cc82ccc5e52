"""Notification email: events in, durable outbox rows out, delivered by a worker.

The single entry point for the rest of Lindos is ``notify(event)`` (events in
``lindos.notifications.events``): it records the event in the caller's
transaction, one row whatever the number of recipients; ``pipeline``
describes the policy.  Background workers call
``lindos.notifications.delivery.deliver_due()``, which expands recorded
events into mails (``expand``) and sends them.
"""


def notify(event, **kwargs):
    """Record `event` in the caller's transaction; its mails follow from
    the worker.  Returns the ``PendingNotification`` id."""
    from lindos.notifications.pipeline import notify as pipeline_notify

    return pipeline_notify(event, **kwargs)
