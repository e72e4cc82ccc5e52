"""Container logins: the user a trusted front-end (a web server or proxy
that did the authentication: Kerberos, SAML, client certificates...) names
in a request variable, as Kallithea's ``container`` plugin.

Which variables are believed, and from whom:

- ``REMOTE_USER`` (any name without ``HTTP_``) is set by the WSGI server
  itself, never by a client (``lindos serve`` never sets it; Apache's
  mod_wsgi does): believed from any connection.
- A request header (``HTTP_X_FORWARDED_USER``, or ``X-Forwarded-User`` as
  written) is something any client can send: believed only on a connection
  from the front-end named by ``[server:main] trusted_proxy`` (one address,
  the one waitress also believes ``X-Forwarded-For`` from; ``*`` is never
  enough to name a user).  The address checked is the connection's own,
  before waitress replaces ``REMOTE_ADDR`` with the forwarded client's.
  The front-end must set the header on every request, replacing one the
  client sent.

The name (after Kallithea's ``clean_username``: ``user@REALM`` and
``DOMAIN\\user`` become ``user``) then follows ``identities``' rules: an
account created on first sight, never an internal account taken over,
never a disabled one.  Each request is its own login: no session is made
or kept, so when the front-end stops naming someone, Lindos stops too.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.utils import timezone

from lindos.externalauth.current import current_auth_settings, is_active
from lindos.externalauth.identities import do_sync_external_user, find_user, source_of
from lindos.webserver.peer import PEER_KEY  # the connection's own address, under lindos serve

log = logging.getLogger(__name__)

#: Seconds between refreshes of a container account from the front-end's values.
REFRESH_SECONDS = 600

_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]{0,99}$")
# CGI variables a client's request line or headers decide: never a user name.
_CLIENT_VARIABLES = {"CONTENT_TYPE", "CONTENT_LENGTH", "QUERY_STRING", "PATH_INFO", "REQUEST_METHOD"}


def variable_name(setting: str) -> str | None:
    """The WSGI environ key a header setting names (Kallithea stored environ
    keys: ``REMOTE_USER``, ``HTTP_X_FORWARDED_USER``; a header as written,
    ``X-Forwarded-User``, means the same), or None if it names nothing
    usable."""
    name = setting.strip()
    if not name:
        return None
    if not name.isupper() or "-" in name:
        name = "HTTP_" + name.upper().replace("-", "_")
    if not _VARIABLE.match(name) or name in _CLIENT_VARIABLES or name.startswith("SERVER_"):
        return None
    return name


def from_front_end(meta) -> bool:
    """Whether the connection comes from ``[server:main] trusted_proxy``."""
    trusted = settings.LINDOS.server_proxy.get("trusted_proxy", "").strip()
    if not trusted or trusted == "*":
        return False
    peer = meta.get(PEER_KEY) or meta.get("REMOTE_ADDR") or ""
    return peer == trusted


def _read(meta, setting: str, trusted: bool) -> str:
    name = variable_name(setting or "")
    if name is None or (name.startswith("HTTP_") and not trusted):
        return ""
    value = meta.get(name)
    return value.strip() if isinstance(value, str) else ""


def clean_username(name: str) -> str:
    return name.partition("@")[0].rpartition("\\")[2]


def vouched_username(meta, config=None) -> str | None:
    """The name a trusted front-end gives this request, or None."""
    config = config or current_auth_settings()
    if not is_active(config, "container"):
        return None
    trusted = from_front_end(meta)
    for setting in (config.container_header, config.container_fallback_header):
        name = _read(meta, setting, trusted)
        if name:
            return clean_username(name) if config.container_clean_username else name
    if any(
        variable_name(s or "") and variable_name(s).startswith("HTTP_") and meta.get(variable_name(s))
        for s in (config.container_header, config.container_fallback_header)
    ):
        log.warning(
            "container login header ignored: connection from %s is not [server:main] trusted_proxy",
            meta.get(PEER_KEY) or meta.get("REMOTE_ADDR"),
        )
    return None


def front_end_user(meta):
    """The active account the front-end names in this request, created on
    first sight; None when it names nobody, is not trusted, or the account
    rules refuse the name."""
    if PEER_KEY in meta and "REMOTE_USER" not in meta and not from_front_end(meta):
        # Under lindos serve only the trusted proxy's requests can name
        # anyone (waitress sets no REMOTE_USER): the settings are not even
        # read for the others, so most requests cost no query here.
        return None
    config = current_auth_settings()
    username = vouched_username(meta, config)
    if username is None:
        return None
    known = find_user(username)
    if known is not None and known.is_active and source_of(known) == "container":
        seen = known.external_identity.last_login_at
        if seen is not None and (timezone.now() - seen).total_seconds() < REFRESH_SECONDS:
            return known  # every request is a login: refresh the account now and then, not each time
    trusted = from_front_end(meta)
    return do_sync_external_user(
        "container",
        username,
        username,
        first_name=_read(meta, config.container_firstname_header, trusted),
        last_name=_read(meta, config.container_lastname_header, trusted),
        email=_read(meta, config.container_email_header, trusted),
    )


class ContainerLoginMiddleware:
    """After Django's AuthenticationMiddleware: a request a trusted
    front-end names a user for is that user's (``request.front_end_user``
    is set for the git and hg views, which do not look at sessions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.front_end_user = None
        user = front_end_user(request.META)
        if user is not None:
            request.user = request.front_end_user = user
        return self.get_response(request)
