"""Temporary: until the outbox lands, send through Django's mail API."""

import logging

log = logging.getLogger(__name__)


def dispatch_event(event):
    log.warning("notification pipeline not built yet; dropping %r", event)
