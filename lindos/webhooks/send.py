"""One HTTP POST to a webhook receiver, with bounded time and no surprises:
the connection goes to the address ``targets.resolve`` checked (TLS still
verifies the certificate for the host name), redirects are not followed,
at most ``RESPONSE_BYTES`` of the answer are read, and every socket
operation waits at most the configured timeout."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from typing import NamedTuple

from lindos.webhooks.targets import Target, TargetRefused, resolve

RESPONSE_BYTES = 2048
USER_AGENT = "Lindos-Hookshot"


class Outcome(NamedTuple):
    status: int | None  # HTTP status, None when no answer came
    duration_ms: int
    error: str  # empty on an answer (any status)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict, *, timeout: float, allow_private: bool) -> Outcome:
    """POST `body` to `url`; never raises for network trouble (the outcome says)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = resolve(url, allow_private)
    except TargetRefused as exc:
        return Outcome(None, elapsed(), f"refused: {exc}")
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = cls(target, timeout)
    try:
        conn.request(
            "POST",
            target.path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = conn.getresponse()
        response.read(RESPONSE_BYTES)
        return Outcome(response.status, elapsed(), "")
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        return Outcome(None, elapsed(), f"{type(exc).__name__}: {exc}"[:500])
    finally:
        conn.close()
