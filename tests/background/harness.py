"""Real Lindos processes for the background-work tests: an instance folder
with its INI file, ``lindos serve`` / ``lindos worker`` subprocesses with
their logs, a browser-less HTTP client, and an SMTP sink that counts what
arrives."""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from email import message_from_bytes

from tests.services import LOOPBACK, free_port, wait_for_port

LINDOS = [sys.executable, "-m", "lindos"]

# Log lines that mean something went wrong in a Lindos process.
ERROR_PATTERN = re.compile(r"\b(ERROR|CRITICAL|Traceback)\b|OperationalError|InterfaceError")


class SmtpSink:
    """An aiosmtpd server in a thread, recording every message it accepts."""

    def __init__(self, delay: float = 0.0):
        from aiosmtpd.controller import Controller

        self.delay = delay  # seconds per message, to make a batch take a while
        self.messages = []  # (envelope recipients, parsed message)
        self.arrivals = []  # time.monotonic() of each, for benchmarks
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname=LOOPBACK, port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            self.messages.append((tuple(envelope.rcpt_tos), message))
            self.arrivals.append(time.monotonic())
        return "250 OK"

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def recipients(self) -> list[str]:
        with self._lock:
            return [r for rcpts, _ in self.messages for r in rcpts]

    def wait_for(self, count: int, timeout: float = 30, what: str = "mail") -> None:
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.count() < count:
            raise AssertionError(f"expected {count} {what}, got {self.count()} after {timeout}s")


class LindosProcess:
    def __init__(self, name: str, argv: list[str], log_path: str, env: dict):
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            argv, stdout=self._log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )

    def log(self) -> str:
        with open(self.log_path, errors="replace") as fh:
            return fh.read()

    def wait_for_log(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: {text!r} not logged; log:\n{self.log()[-4000:]}")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM the process group (a Celery worker's pool children too)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def kill(self) -> None:
        """SIGKILL the whole process group, as when a machine dies."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


class LindosHome:
    """One Lindos installation: a folder with ``lindos.ini`` and its processes."""

    def __init__(
        self,
        path,
        database_url: str,
        smtp_port: int | None = None,
        broker_url: str | None = None,
        sweep_seconds: float = 1.0,
        **settings: str,
    ):
        from lindos.cli.config_create import render_config

        self.path = str(path)
        os.makedirs(self.path, exist_ok=True)
        self.ini = os.path.join(self.path, "lindos.ini")
        self.port = free_port()
        overrides = {
            "sqlalchemy.url": database_url,
            "app_email_from": "Lindos <lindos@example.com>",
            "email_to": "ops@example.com",
            "canonical_url": f"http://{LOOPBACK}:{self.port}",
            "port": str(self.port),
            "host": LOOPBACK,
        }
        if smtp_port:
            overrides.update(smtp_server=LOOPBACK, smtp_port=str(smtp_port))
        if broker_url:
            overrides.update(
                {
                    "use_celery": "true",
                    "celery.broker_url": broker_url,
                    "celery.sweep_interval": str(sweep_seconds),
                }
            )
        overrides.update(settings)
        with open(self.ini, "w") as fh:
            fh.write(render_config(overrides))
        self.env = {
            k: v for k, v in os.environ.items() if k not in ("LINDOS_CONFIG", "DJANGO_SETTINGS_MODULE")
        }
        self.env["PYTHONUNBUFFERED"] = "1"
        self.processes: list[LindosProcess] = []
        self.base_url = f"http://{LOOPBACK}:{self.port}"

    def run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*LINDOS, args[0], "-c", self.ini, *args[1:]],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"lindos {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def python(self, code: str, timeout: float = 120) -> str:
        """Run `code` in a fresh process set up on this installation."""
        prelude = f"import os, sys; from lindos.cli import setup_django; setup_django({self.ini!r})\n"
        result = subprocess.run(
            [sys.executable, "-c", prelude + code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise AssertionError(f"python exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name: str, *args: str) -> LindosProcess:
        log = os.path.join(self.path, f"{name}.log")
        process = LindosProcess(name, [*LINDOS, args[0], "-c", self.ini, *args[1:]], log, self.env)
        self.processes.append(process)
        return process

    def serve(self, name: str = "serve") -> LindosProcess:
        process = self.start(name, "serve", "--threads", "4")
        try:
            wait_for_port(self.port, 60, process.proc, process.log_path)
        except RuntimeError as exc:
            raise AssertionError(f"lindos serve did not start: {exc}\n{process.log()}")
        return process

    def worker(self, name: str = "worker", concurrency: int = 2, *extra: str) -> LindosProcess:
        process = self.start(name, "worker", "--concurrency", str(concurrency), *extra)
        process.wait_for_log("ready.", 60)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            process.stop()

    def log_lines(self, pattern: re.Pattern | str) -> list[str]:
        """Every log line of every process that matches `pattern`."""
        return [
            f"{p.name}: {line}"
            for p in self.processes
            for line in p.log().splitlines()
            if re.search(pattern, line)
        ]

    def error_lines(self) -> list[str]:
        """Every log line of every process that reports an error."""
        return self.log_lines(ERROR_PATTERN)


ENQUEUE = """
from django.db import transaction
from lindos.notifications.compose import ComposedMail
from lindos.notifications.outbox import enqueue_mails
if publish:
    from lindos.background import wakeup
    wakeup.connect()  # as in a web process: announce committed rows
total = 0
for start in range(0, count, per_transaction):
    mails = [ComposedMail(
        mail_type="test", notification_type="", user_id=None, reason="test",
        envelope_from="lindos@example.com", envelope_to=f"{tag}{i}@example.com",
        subject=f"{tag} {i}",
        message=f"From: lindos@example.com\\nTo: {tag}{i}@example.com\\n"
                f"Subject: {tag} {i}\\nMessage-ID: <{tag}.{i}@example.com>\\n\\nmail {i}\\n")
        for i in range(start, min(count, start + per_transaction))]
    with transaction.atomic():
        total += len(enqueue_mails(mails))
print(total)
"""


def enqueue(
    home: LindosHome, count: int, tag: str = "user", per_transaction: int = 500, publish: bool = False
) -> list[str]:
    """Write `count` pending mails to the outbox from a separate process, one
    transaction per `per_transaction` mails; with `publish`, announce each
    transaction's rows as a web process does.  Returns the recipients."""
    code = f"count, tag, per_transaction, publish = {count}, {tag!r}, {per_transaction}, {publish}\n"
    assert home.python(code + ENQUEUE).strip() == str(count)
    return [f"{tag}{i}@example.com" for i in range(count)]


class Browser:
    """Enough of a browser for Django forms: cookies and CSRF tokens."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        """GET the form page (for the CSRF cookie), then POST `fields`."""
        self.get(path)
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"Referer": self.base_url + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
