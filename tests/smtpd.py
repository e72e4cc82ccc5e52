"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a free port.

Modes: ``plain``, ``starttls`` (STARTTLS required) and ``ssl`` (implicit
TLS), with certificates made by ``trustme`` for 127.0.0.1.  Optional AUTH
(PLAIN and LOGIN) with one user and password; ``advertise_auth=False``
hides AUTH from EHLO while still accepting it (a badly advertising server).
``replies`` forces an answer to MAIL, RCPT or DATA (e.g. ``"451 4.3.0
later"``); ``stop()``/``start()`` take it down and up on the same port.

Each accepted message is recorded in ``messages`` with its envelope.

Use it in tests with the fixtures below (import them into a conftest)::

    from tests.smtpd import smtpd, smtp_server_factory  # noqa: F401

and point Lindos at it with ``use_smtp_server(settings, monkeypatch, server)``.
"""

from __future__ import annotations

import dataclasses
import socket
import ssl
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "mailer", "s3cret-pw"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    data: bytes

    @property
    def message(self):
        return message_from_bytes(self.data, policy=policy.default)

    @property
    def headers(self) -> list[tuple[str, str]]:
        """The raw header lines, unfolded but not decoded."""
        head = self.data.split(b"\r\n\r\n", 1)[0].decode("ascii")
        out = []
        for line in head.split("\r\n"):
            if line[:1] in (" ", "\t") and out:
                out[-1] = (out[-1][0], out[-1][1] + line)
            else:
                name, _, value = line.partition(":")
                out.append((name, value))
        return [(name, value.strip()) for name, value in out]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, server: SMTPTestServer):
        self.server = server

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not self.server.advertise_auth:
            responses = [r for r in responses if not r[4:].startswith("AUTH")]
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.server.replies.get("mail"):
            return self.server.replies["mail"]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.server.replies.get("rcpt")
        if callable(reply):
            reply = reply(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.replies.get("data"):
            return self.server.replies["data"]
        with self.server.lock:
            self.server.messages.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    bytes(envelope.original_content or envelope.content),
                )
            )
            number = len(self.server.messages)
        return f"250 2.0.0 Ok: queued as TEST{number}"


class SMTPTestServer:
    def __init__(
        self,
        mode: str = "plain",
        auth: bool = False,
        advertise_auth: bool = True,
        user: str = USER,
        password: str = PASSWORD,
    ):
        assert mode in ("plain", "starttls", "ssl")
        self.mode, self.auth, self.advertise_auth = mode, auth, advertise_auth
        self.user, self.password = user, password
        self.port = free_port()
        self.messages: list[Received] = []
        self.auth_mechanisms: list[str] = []  # mechanism of each successful login
        self.replies: dict = {}
        self.lock = threading.Lock()
        self.controller = None
        self.ca = None
        if mode != "plain":
            import trustme

            self.ca = trustme.CA()
            cert = self.ca.issue_cert("127.0.0.1", "localhost")
            self.server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            cert.configure_cert(self.server_context)

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate."""
        ctx = ssl.create_default_context()
        if self.ca is not None:
            self.ca.configure_trust(ctx)
        return ctx

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user.encode()
            and auth_data.password == self.password.encode()
        )
        if ok:
            self.auth_mechanisms.append(mechanism)
        return AuthResult(success=ok, handled=False)

    def start(self) -> SMTPTestServer:
        kwargs = {}
        if self.mode == "ssl":
            kwargs["ssl_context"] = self.server_context
        elif self.mode == "starttls":
            kwargs.update(tls_context=self.server_context, require_starttls=True)
        if self.auth:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10, **kwargs
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def recipients(self) -> list[str]:
        return [r for m in self.messages for r in m.rcpt_tos]

    def config(self, base, **overrides):
        """`base` (a Config) pointed at this server."""
        values = dict(
            smtp_server="127.0.0.1",
            smtp_port=self.port,
            smtp_use_ssl=self.mode == "ssl",
            smtp_use_tls=self.mode == "starttls",
            smtp_username=self.user if self.auth else "",
            smtp_password=self.password if self.auth else "",
            smtp_auth=(),
            smtp_timeout=5.0,
        )
        values.update(overrides)
        return dataclasses.replace(base, **values)


def use_smtp_server(settings, monkeypatch, server: SMTPTestServer, **overrides):
    """Point ``settings.LINDOS`` at `server` and trust its certificate."""
    from lindos.notifications import smtp_backend

    settings.LINDOS = server.config(settings.LINDOS, **overrides)
    monkeypatch.setattr(smtp_backend, "tls_context", server.client_context)
    return settings.LINDOS


@pytest.fixture
def smtp_server_factory():
    """Make (and afterwards stop) servers: ``smtp_server_factory(mode, auth=...)``."""
    servers = []

    def make(mode="plain", **kwargs):
        server = SMTPTestServer(mode, **kwargs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def smtpd(smtp_server_factory, settings, monkeypatch):
    """A plain SMTP server that ``settings.LINDOS`` already points at."""
    server = smtp_server_factory("plain")
    use_smtp_server(settings, monkeypatch, server)
    return server
