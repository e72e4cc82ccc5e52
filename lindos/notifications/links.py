"""The address links in mail are built on, decided when the action happens.

Every link in a mail is absolute, so it works from a mail client.  Which
base it uses is decided in the request that caused the mail and carried in
the event (``Event.base_url``), because only the request knows the address
the action came in on, and a worker expanding the event later has no
request at all (it must never read a Host header):

- ``canonical_url``, when it is set, always;
- else the scheme and host of the request the action came in on, which
  Django has already checked against ``allowed_hosts`` (an untrusted Host
  never gets this far: it is answered 400 before any view runs), as
  Kallithea did;
- an event recorded outside a request (a command line), or stored by an
  older Lindos without a base, is expanded on ``canonical_url``, else on
  the address ``lindos serve`` binds, with a warning in the log saying so.

``ActionLinkBaseMiddleware`` makes the current request known to ``notify``
(a context variable: each request thread has its own).
"""

from __future__ import annotations

import contextvars
import logging

from django.conf import settings

log = logging.getLogger(__name__)

_request = contextvars.ContextVar("lindos_action_request", default=None)


class ActionLinkBaseMiddleware:
    """Remember the request being answered, for ``action_base_url``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def request_base_url(request, config=None) -> str:
    """``canonical_url``, else the address `request` came in on (scheme and
    host, Host checked against ``allowed_hosts`` by ``get_host``)."""
    config = config or settings.LINDOS
    if config.canonical_url:
        return config.canonical_url
    return f"{request.scheme}://{request.get_host()}"


def action_base_url(config=None) -> str:
    """The base for links in mail about the action now being done: see the
    module's policy; "" outside a request without ``canonical_url``."""
    config = config or settings.LINDOS
    request = _request.get()
    if request is None:
        return config.canonical_url
    return request_base_url(request, config)


def fallback_base_url(config) -> str:
    """Where links go when neither the event nor ``canonical_url`` says:
    the address ``lindos serve`` binds, as it prints it."""
    from lindos.hosts import base_url

    return base_url(config.server_host, config.server_port)


def base_url_for(event, config) -> str:
    """The base for the links of a mail about `event`, in the worker: the
    one decided at the action, else ``canonical_url``, else the fallback
    (logged: such links may not work from everywhere)."""
    base = getattr(event, "base_url", "") or config.canonical_url
    if base:
        return base
    base = fallback_base_url(config)
    log.warning(
        "%s was recorded without a base for its links and canonical_url is not set; "
        "its links use %s (set canonical_url to the address users reach Lindos at)",
        type(event).__name__,
        base,
    )
    return base
