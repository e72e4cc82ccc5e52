"""Per-request body limits inside waitress, for ``lindos serve``.

waitress reads a whole request body (into memory, then a temporary file)
before it calls the application, and knows only one limit for every URL.
So the limit of ``lindos.transport.body_limit.body_limit`` is applied where
waitress parses the headers: a body declared bigger is refused with 413 at
once, unread, and a chunked one as soon as it passes the limit. Nothing
over ``max_form_body_size`` is ever written to disk for a request that is
not a proven push (Basic credentials proven lately, or a container login
on a connection from the trusted proxy: the parser knows the connection's
address for that).

This hooks two waitress classes (the request parser and the channel that
creates it); ``tests/cli/test_serve_limits.py`` runs the real server.
"""

from __future__ import annotations

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.utilities import Error, RequestEntityTooLarge


class CredentialsRequired(Error):
    """401 with a Basic challenge: git and hg then send the push again with
    credentials (a 413 would end it)."""

    code = 401
    reason = "Unauthorized"

    def to_response(self, ident=None):
        status, headers, body = super().to_response(ident)
        return status, headers + [("WWW-Authenticate", 'Basic realm="Lindos"')], body


class _Adjusted:
    """waitress's adjustments with another ``max_request_body_size``."""

    def __init__(self, adj, max_request_body_size: int):
        self._adj = adj
        self.max_request_body_size = max_request_body_size

    def __getattr__(self, name):
        return getattr(self._adj, name)


class LimitedRequestParser(HTTPRequestParser):
    """Sets the body limit for this one request once its headers are read
    (waitress checks ``adj.max_request_body_size`` right after)."""

    small_limit = 1 << 20
    big_limit = 1 << 32

    def __init__(self, adj, peer: str = ""):
        super().__init__(adj)
        self.peer = peer  # the connection's own address (a container login's trust)

    def parse_header(self, header_plus):
        super().parse_header(header_plus)
        from lindos.transport.body_limit import body_limit, front_end_vouches, is_push, wants_credentials

        authorization = self.headers.get("AUTHORIZATION")
        query = self.query or ""
        limit = body_limit(
            self.command,
            self.path,
            query,
            authorization,
            small=self.small_limit,
            big=self.big_limit,
            vouched=is_push(self.command, self.path, query) and front_end_vouches(self.peer, self.headers),
        )
        self.wants_credentials = wants_credentials(self.command, self.path, self.query or "", authorization)
        self.adj = _Adjusted(self.adj, min(limit, self.adj.max_request_body_size))
        if self.content_length >= self.adj.max_request_body_size:
            # Refused below: don't invite the body with "100 Continue",
            # which would also make waitress read it after all.
            self.expect_continue = False

    def received(self, data):
        consumed = super().received(data)
        if isinstance(self.error, RequestEntityTooLarge) and getattr(self, "wants_credentials", False):
            self.error = CredentialsRequired("send the push with credentials")
        return consumed


def limited_channel(small: int, big: int) -> type[HTTPChannel]:
    """A channel class whose requests get ``small`` or ``big`` limits."""
    parser = type("LimitedRequestParser", (LimitedRequestParser,), {"small_limit": small, "big_limit": big})

    def __init__(self, server, sock, addr, adj, map=None):
        HTTPChannel.__init__(self, server, sock, addr, adj, map)
        peer = addr[0] if addr else ""
        # waitress makes each request's parser with parser_class(adj)
        self.parser_class = lambda adj: parser(adj, peer=peer)

    return type("LimitedHTTPChannel", (HTTPChannel,), {"parser_class": parser, "__init__": __init__})


def install_body_limits(server, small: int, big: int) -> None:
    """Make ``server`` (from ``waitress.create_server``; one listening
    socket or several) apply the per-request limits."""
    channel = limited_channel(small, big)
    servers = (
        [server]
        if isinstance(server, BaseWSGIServer)
        else [s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)]
    )
    if not servers:
        raise TypeError(f"not a waitress server: {server!r}")
    for one in servers:
        one.channel_class = channel
