"""Notification email: events in, durable outbox rows out, delivered by a worker.

The single entry point for the rest of Lindos is ``notify(event)``
(see ``lindos.notifications.events``)."""


def notify(event):
    """Record the mails `event` causes, in the caller's transaction."""
    from lindos.notifications.dispatch import dispatch_event

    return dispatch_event(event)
