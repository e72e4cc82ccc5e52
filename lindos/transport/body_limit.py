"""How big a request body may be, decided from the request line and headers
alone, before a byte of the body is read.

Policy: a server that spools every body up to
``max_body_size`` (4 GiB) before anyone is authenticated lets a stranger
fill its disk. So only a **push to a repository** (git ``receive-pack``, hg
``unbundle``) whose Basic credentials **proved a user lately** may send up
to ``max_body_size``; every other request (forms, fetches, anonymous or
unproven pushes) is refused with 413 beyond ``max_form_body_size`` (1 MiB).

"Proved lately" means the same credentials authenticated within
``lindos.transport.auth.VERIFIED_SECONDS``, in this process or another one
sharing Django's cache (``lindos.transport.auth.recently_proven``): git and
a private hg repository always make an authenticated request
(``info/refs``, ``capabilities``, git's probe POST) before the push that
carries the pack, so a real push always qualifies, and
the check costs no database query and no password hash on the server's
network thread. hg reads a public repository anonymously and sends
credentials first with ``unbundle`` itself (after a 401): an hg push with
credentials gets the big limit unproven, and so does an anonymous one (hg
uploads the bundle before it reads a 401, which would reset the
connection): a stranger can have a body spooled at an hg push URL (removed
when the view refuses it). An over-limit push with no credentials is answered
401, so the client sends them. The push view still authenticates and authorizes the
request in full before it reads the body.

A push the trusted front-end authenticated (a container login,
``lindos.externalauth.container``: the configured header, believed only on
a connection from ``[server:main] trusted_proxy``) carries no credentials:
it gets the big limit by the same rule the login itself uses
(``front_end_vouches``), so the header sent by anyone else lifts nothing.
Under ``lindos serve`` only; other WSGI servers hand every push to its view.

``body_limit`` is the one rule; ``lindos serve`` applies it while waitress
parses the headers (``lindos.cli.serve_limits``), and ``BodyLimitMiddleware``
applies it inside Django for other WSGI servers.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from django.conf import settings
from django.http import HttpResponse

from lindos.repos.storage import REPO_NAME_REGEX
from lindos.transport.auth import parse_basic, recently_proven

#: Push endpoints: git's ``/REPO/git-receive-pack`` (as routed by
#: ``lindos.transport.urls``), hg's ``/REPO?cmd=unbundle``.
_GIT_PUSH = re.compile(rf"^/{REPO_NAME_REGEX}/git-receive-pack$")
_HG_REPO = re.compile(rf"^/{REPO_NAME_REGEX}/?$")
HG_PUSH_COMMANDS = frozenset({"unbundle"})


def is_hg_push(method: str, path: str, query: str) -> bool:
    if method.upper() != "POST" or not _HG_REPO.match(path):
        return False
    commands = parse_qs(query, keep_blank_values=True).get("cmd", [])
    return any(command in HG_PUSH_COMMANDS for command in commands)


def is_push(method: str, path: str, query: str) -> bool:
    """Whether a request is a push to a repository, by its method, path
    and query string only (the repository itself is not looked up)."""
    if method.upper() != "POST":
        return False
    return bool(_GIT_PUSH.match(path)) or is_hg_push(method, path, query)


def body_limit(
    method: str,
    path: str,
    query: str,
    authorization: str | None,
    *,
    small: int,
    big: int,
    vouched: bool = False,
) -> int:
    """The largest body this request may send (see module doc); `vouched`:
    the trusted front-end names the user (``front_end_vouches``)."""
    if not is_push(method, path, query):
        return small
    if vouched:
        return big
    credentials = parse_basic(authorization)
    if recently_proven(credentials):
        return big
    # hg reads a public repository anonymously, so the unbundle request is
    # the first to carry credentials: they cannot have been proven yet. And
    # hg sends its bundle before it learns credentials are wanted: a 401
    # before the body is read resets the connection under hg's upload, so
    # the body is taken and the view answers 401 after it.
    if is_hg_push(method, path, query):
        return big
    return small


def front_end_vouches(peer: str, headers: dict[str, str]) -> bool:
    """Whether a container login names the user of a request whose
    connection comes from `peer` with these `headers` (waitress's: upper
    case, ``-`` as ``_``, no ``HTTP_``), by exactly the rule of the login
    itself (``lindos.externalauth.container.vouched_username``): container
    logins on, the configured header set, and a header believed only on a
    connection from ``[server:main] trusted_proxy``.

    For the server's network thread: the answer is False at once for any
    other connection; for the proxy's, the authentication settings are read
    from the process's copy (a query at most every few seconds)."""
    from django.db import close_old_connections

    from lindos.externalauth.container import from_front_end, vouched_username
    from lindos.webserver.peer import PEER_KEY

    meta = {f"HTTP_{name}": value for name, value in headers.items()}
    meta.update({PEER_KEY: peer, "REMOTE_ADDR": peer})
    if not from_front_end(meta):
        return False
    try:
        return vouched_username(meta) is not None
    finally:
        # This thread is not a request's: nothing else would close a
        # connection the settings were read through.
        close_old_connections()


def wants_credentials(method: str, path: str, query: str, authorization: str | None) -> bool:
    """An over-limit git push without credentials is answered 401, not 413:
    the challenge makes git send it again with credentials (hg pushes are
    taken whole, see ``body_limit``)."""
    return (
        is_push(method, path, query)
        and not is_hg_push(method, path, query)
        and parse_basic(authorization) is None
    )


def configured_limits() -> tuple[int, int]:
    """``(max_form_body_size, max_body_size)`` from the configuration."""
    config = settings.LINDOS
    return config.max_form_body_size, config.max_body_size


class BodyLimitMiddleware:
    """413 for a declared body over the limit, before any view reads it.

    For WSGI servers that hand the body over unread (gunicorn, mod_wsgi);
    under ``lindos serve`` waitress has already refused it. A push is let
    through to its view, which authenticates before reading anything; an
    undeclared (chunked) body is bounded by Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` when a form reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        small, _big = configured_limits()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > small and not is_push(
            request.method, request.path_info, request.META.get("QUERY_STRING", "")
        ):
            return HttpResponse(
                f"Request body too large (limit {small} bytes)\n",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
