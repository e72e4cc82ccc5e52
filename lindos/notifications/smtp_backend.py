"""Django mail backend speaking SMTP as Kallithea's settings describe.

Configured from the INI file (``settings.LINDOS``): ``smtp_server``,
``smtp_port`` (default 25, or 465 with ``smtp_use_ssl``), ``smtp_username``
and ``smtp_password`` (logs in only when both are set), ``smtp_use_ssl``
(implicit TLS), ``smtp_use_tls`` (STARTTLS), ``smtp_auth`` (force the AUTH
mechanism(s), for servers that advertise them badly or not at all) and
``smtp_timeout``.

Certificates are checked against the system's CAs (``SSL_CERT_FILE`` names
another bundle).  Two additions to Django's backend: the server's final
reply to each message is kept in ``last_reply`` (the admin page shows it),
and recipients refused one by one are reported rather than ignored.
"""

from __future__ import annotations

import re
import smtplib
import ssl

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.utils.functional import cached_property

# A bare ASCII address with nothing to quote or encode goes out as it is;
# Django's sanitize_address (a full parse) is for everything else.
_BARE_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


def _sanitize(address: str, encoding: str) -> str:
    return address if _BARE_ADDRESS.fullmatch(address) else sanitize_address(address, encoding)


def tls_context() -> ssl.SSLContext:
    """The TLS client context (tests swap in one that trusts their CA)."""
    return ssl.create_default_context()


class KallitheaSMTPBackend(EmailBackend):
    def __init__(self, config=None, fail_silently=False, **kwargs):
        config = config or settings.LINDOS
        super().__init__(
            host=config.smtp_server or "localhost",
            port=config.smtp_port,
            username=config.smtp_username,
            password=config.smtp_password,
            use_tls=config.smtp_use_tls,
            use_ssl=config.smtp_use_ssl,
            timeout=config.smtp_timeout,
            fail_silently=fail_silently,
            **kwargs,
        )
        self.auth_mechanisms = tuple(config.smtp_auth)
        self.last_reply = ""

    @cached_property
    def ssl_context(self):
        return tls_context()

    def open(self):
        """Connect, STARTTLS if asked, and log in when both username and
        password are set.  Errors propagate (the outbox keeps the mail)."""
        if self.connection:
            return False
        self.close()
        params = {"local_hostname": DNS_NAME.get_fqdn(), "timeout": self.timeout}
        if self.use_ssl:
            params["context"] = self.ssl_context
        try:
            conn = self._partial_connection = self.connection_class(self.host, self.port, **params)
            if not self.use_ssl and self.use_tls:
                conn.starttls(context=self.ssl_context)
            if self.username and self.password:
                self.login(conn)
            self.connection, self._partial_connection = conn, None
            return True
        except OSError:
            try:
                self.close()
            except OSError:
                pass  # the error that matters is the one being raised
            if not self.fail_silently:
                raise

    def login(self, conn: smtplib.SMTP) -> None:
        if not self.auth_mechanisms:
            conn.login(self.username, self.password)
            return
        # Kallithea replaced the server's advertised AUTH list by smtp_auth;
        # here each forced mechanism is tried in the order given.
        conn.ehlo_or_helo_if_needed()
        conn.user, conn.password = self.username, self.password
        error = None
        for mechanism in self.auth_mechanisms:
            method = getattr(conn, "auth_" + mechanism.lower().replace("-", "_"))
            try:
                conn.auth(mechanism, method, initial_response_ok=True)
                return
            except smtplib.SMTPAuthenticationError as exc:
                error = exc
        raise error

    def _send(self, email_message) -> bool:
        """Send one message over the open connection, like smtplib's
        ``sendmail`` but keeping the server's final reply."""
        recipients = email_message.recipients()
        if not recipients:
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        sender = _sanitize(email_message.from_email, encoding)
        recipients = [_sanitize(a, encoding) for a in recipients]
        data = email_message.message().as_bytes(linesep="\r\n")
        try:
            self.last_reply = self.transaction(sender, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True

    def transaction(self, sender: str, recipients: list[str], data: bytes) -> str:
        conn = self.connection
        conn.ehlo_or_helo_if_needed()
        code, reply = conn.mail(sender)
        if code != 250:
            self._reset(conn)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for rcpt in recipients:
            code, reply = conn.rcpt(rcpt)
            if code not in (250, 251):
                refused[rcpt] = (code, reply)
        if refused:
            # One recipient per message in Lindos: a refusal is the message's.
            self._reset(conn)
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = conn.data(data)
        if code != 250:
            self._reset(conn)
            raise smtplib.SMTPDataError(code, reply)
        return f"{code} {reply.decode('utf-8', 'replace')}"

    @staticmethod
    def _reset(conn) -> None:
        try:
            conn.rset()
        except smtplib.SMTPServerDisconnected:
            pass
