"""waitress, set up to keep serving while many clients are slow or idle.

Why waitress: its one asyncore loop reads every request's headers and body
(spooling bodies past ``inbuf_overflow`` to a temporary file) before a
request thread sees it, so a client that dawdles holds a few kilobytes and
a file descriptor, never a thread; responses are written back the same way
(past ``outbuf_overflow`` through a temporary file), so a slow reader never
holds a clone in memory either.  What it lacks by default, and what this
module adds:

* a connection limit of 100 (one hundred half-sent headers stopped the
  server): here it follows the open files limit, raised to the hard limit
  at start-up;
* ``select()``, which fails past file descriptor 1,024: ``poll()`` here;
* no deadline for a request's headers, so a client sending one byte every
  minute kept its connection for ever: here the headers must be complete
  within ``HEADER_TIMEOUT`` seconds of their first byte, and a connection
  with no request under way is closed after ``IDLE_TIMEOUT`` seconds.
"""

from __future__ import annotations

import socket
import time

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher, WSGITask

from lindos.webserver.peer import PEER_KEY

#: Seconds a client has to send a whole request header, from its first byte.
HEADER_TIMEOUT = 20
#: Seconds a connection may stay open with no request under way (keep-alive).
IDLE_TIMEOUT = 60
#: Seconds between the sweeps that enforce both.
SWEEP_INTERVAL = 2
#: Connections per process, at most: each costs a descriptor and a few KB.
MAX_CONNECTIONS = 10_000
#: Descriptors kept back from connections for repositories, pipes to git,
#: the database, temporary files and the cache.
RESERVED_FILES = 256


def server_options(config, threads: int, open_files: int) -> dict:
    """waitress's settings for ``lindos serve`` (one place, so other
    settings can be added without touching how the server is started)."""
    return {
        "threads": threads,
        "max_request_body_size": config.max_body_size,
        # A body up to the small limit stays in memory (a refused one never
        # touches the disk); bigger ones and responses past 1 MiB go to
        # temporary files, and at most 1 MiB of response is queued per
        # connection (waitress's 16 MiB made sixteen slow downloads cost
        # 256 MiB).
        "inbuf_overflow": max(1 << 20, getattr(config, "max_form_body_size", 0) + (1 << 16)),
        "outbuf_overflow": 1 << 20,
        "outbuf_high_watermark": 1 << 20,
        "connection_limit": max(100, min(MAX_CONNECTIONS, open_files - RESERVED_FILES)),
        "channel_timeout": IDLE_TIMEOUT,
        "cleanup_interval": SWEEP_INTERVAL,
        "asyncore_use_poll": True,
        "ident": "Lindos",
        # Behind a reverse proxy: the client's address (the login throttle
        # counts by it), from [server:main] trusted_proxy*.
        **getattr(config, "server_proxy", {}),
    }


class TimedRequestParser(HTTPRequestParser):
    """A request parser that remembers when its first byte arrived."""

    def __init__(self, adj):
        super().__init__(adj)
        self.started = time.monotonic()


def timed(channel_class: type[HTTPChannel]) -> type[HTTPChannel]:
    """``channel_class`` whose request parsers remember their start (it may
    already have a parser of its own, e.g. the body limits')."""
    parser = channel_class.parser_class
    if not issubclass(parser, TimedRequestParser):
        parser = type(f"Timed{parser.__name__}", (TimedRequestParser, parser), {})
    return type(f"Timed{channel_class.__name__}", (channel_class,), {"parser_class": parser})


TimedChannel = timed(HTTPChannel)


class PeerTask(WSGITask):
    """A request task that keeps the connection's own address: with
    ``trusted_proxy`` set, waitress replaces ``REMOTE_ADDR`` with the client
    named in ``X-Forwarded-For``, and container logins must know whether the
    connection itself came from that proxy
    (``lindos.externalauth.container``)."""

    def get_environment(self):
        environ = super().get_environment()
        environ.setdefault(PEER_KEY, self.channel.addr[0] if self.channel.addr else "")
        return environ


def with_peer(channel_class: type[HTTPChannel]) -> type[HTTPChannel]:
    if issubclass(channel_class.task_class, PeerTask):
        return channel_class
    return type(f"Peer{channel_class.__name__}", (channel_class,), {"task_class": PeerTask})


class HardenedServer(TcpWSGIServer):
    """waitress's TCP server whose periodic sweep also closes connections
    whose request header is overdue (slowloris)."""

    channel_class = TimedChannel
    header_timeout = HEADER_TIMEOUT

    def maintenance(self, now):
        super().maintenance(now)  # idle connections: channel_timeout
        overdue = time.monotonic() - self.header_timeout
        for channel in list(self.active_channels.values()):
            request = channel.request
            if (
                request is not None
                and not request.headers_finished
                and getattr(request, "started", overdue) < overdue
            ):
                channel.will_close = True


def no_body_for_head(application):
    """Answer HEAD with the headers GET would have, and no body.

    Neither Django nor waitress (3.0) leaves the body out: a page, a
    streamed archive or a file (sent by waitress straight from the file)
    would follow the headers, and a keep-alive client would read it as the
    next response.  The body is closed unread, so a streamed archive never
    even starts its ``git archive``.
    """

    def app(environ, start_response):
        result = application(environ, start_response)
        if environ.get("REQUEST_METHOD") != "HEAD":
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()
        return []

    return app


class Server:
    """One process's server: every listening socket in one asyncore loop,
    one pool of request threads."""

    def __init__(
        self,
        application,
        sockets: list[socket.socket],
        options: dict,
        body_limits: tuple[int, int] | None = None,
    ):
        self.adj = Adjustments(sockets=sockets, **options)
        self.map: dict = {}
        self.dispatcher = ThreadedTaskDispatcher()
        self.dispatcher.set_thread_count(self.adj.threads)
        self.servers = [
            HardenedServer(
                no_body_for_head(application),
                self.map,
                True,
                sock,
                dispatcher=self.dispatcher,
                adj=self.adj,
                bind_socket=False,
                sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()),
            )
            for sock in sockets
        ]
        for server in self.servers:
            if body_limits is not None:
                # Per-request body limits (small, big), decided on the headers.
                from lindos.cli.serve_limits import install_body_limits

                install_body_limits(server, *body_limits)
            server.channel_class = with_peer(timed(server.channel_class))

    def run(self) -> None:
        """Serve until SystemExit or KeyboardInterrupt (then finish the
        requests under way, within waitress's shutdown delay)."""
        self.servers[0].run()

    def close(self) -> None:
        for server in self.servers:
            server.close()
        self.dispatcher.shutdown()


def bind_sockets(host: str, port: int, reuse_port: bool = False) -> list[socket.socket]:
    """Listening sockets for ``host:port`` (a name may give IPv4 and IPv6),
    bound and listening before any worker process is started; OSError if
    the port is busy.  ``reuse_port`` sets ``SO_REUSEPORT`` so that further
    sets can be bound to the same port (``bind_socket_sets``)."""
    listen = Adjustments(host=host, port=port).listen
    sockets = []
    try:
        for family, socktype, proto, sockaddr in listen:
            if port == 0 and sockets:
                # Several addresses for one name: all take the port the first got.
                sockaddr = (sockaddr[0], sockets[0].getsockname()[1], *sockaddr[2:])
            sock = socket.socket(family, socktype, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if reuse_port:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(sockaddr)
            sock.listen(Adjustments.backlog)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def bind_socket_sets(host: str, port: int, count: int) -> list[list[socket.socket]]:
    """``count`` sets of listening sockets on one port, one set per server
    process.

    Why not one set shared by every process: the process whose loop wakes
    first accepts every connection waiting, so a burst of keep-alive
    clients (30 people opening pages at once) all landed in one process
    while the other cores idled.  With ``SO_REUSEPORT`` each process has
    its own queue and the kernel spreads new connections over them.  All
    sets are bound here, before any process starts, so a busy port is still
    one error at start-up, and a restarted process finds its queue waiting.
    Without ``SO_REUSEPORT`` (not Linux or BSD) the processes share one set.
    """
    if count == 1 or not hasattr(socket, "SO_REUSEPORT"):
        return [bind_sockets(host, port)] * count
    first = bind_sockets(host, port, reuse_port=True)
    sets = [first]
    try:
        for _ in range(count - 1):
            sets.append(bind_sockets(host, first[0].getsockname()[1], reuse_port=True))
    except OSError:
        for sock in (s for one in sets for s in one):
            sock.close()
        raise
    return sets
