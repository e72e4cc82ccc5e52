"""Running git's own service programs for smart HTTP, streaming both ways.

``git upload-pack`` (fetch, clone, ls-remote) and ``git receive-pack``
(push) run with ``--stateless-rpc``: one request body in, one response out,
as ``git http-backend`` runs them. The request body is fed to the
program's stdin from a thread while its stdout is handed back as an
iterator, so neither side ever holds a whole pack in memory and a program
that starts answering before it has read everything cannot deadlock us.

receive-pack keeps new objects in a quarantine directory and moves refs
only once the pack is complete and checked, so a push that is cut off
half-way leaves the repository as it was.
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator

from lindos.vcs.process import GIT_BINARY, git_env

from .pktline import FLUSH, pkt_line

log = logging.getLogger(__name__)

SERVICES = ("git-upload-pack", "git-receive-pack")
CHUNK_SIZE = 64 * 1024

# The Git-Protocol header carries "key=value" pairs joined by ":" (e.g.
# "version=2"); anything else is dropped rather than put in an environment.
_PROTOCOL_VALUE = re.compile(r"[A-Za-z0-9=:._-]{1,200}\Z")


def protocol_env(git_protocol: str | None) -> dict[str, str]:
    env = git_env()
    if git_protocol and _PROTOCOL_VALUE.match(git_protocol):
        env["GIT_PROTOCOL"] = git_protocol
    return env


def wants_v2(git_protocol: str | None) -> bool:
    return bool(git_protocol) and "version=2" in git_protocol.split(":")


def service_argv(service: str, repo_path: str, *, advertise: bool) -> list[str]:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    argv = [GIT_BINARY, service[len("git-") :], "--stateless-rpc"]
    if advertise:
        argv.append("--advertise-refs")
    return argv + ["--", repo_path]


def advertisement_prefix(service: str, git_protocol: str | None) -> bytes:
    """What smart HTTP puts before the ref advertisement (not in protocol v2)."""
    if wants_v2(git_protocol):
        return b""
    return pkt_line(f"# service={service}\n".encode()) + FLUSH


class ServiceRun:
    """One run of a service program: feed ``body``, iterate over the output.

    ``on_finish(run)`` is called once the program has exited (or been
    killed because the client left), with ``returncode`` and ``stderr``
    set; the view uses it to record a push.
    """

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        body: Iterable[bytes] | None,
        on_finish: Callable[[ServiceRun], None] | None = None,
    ):
        self.argv = argv
        self.returncode: int | None = None
        self.stderr = b""
        self.input_error: BaseException | None = None
        self._on_finish = on_finish
        self._finished = False
        # stderr goes to a file, not a pipe nobody reads while we stream.
        self._errors = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if body is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            env=env,
        )
        self._writer = None
        if body is not None:
            self._writer = threading.Thread(target=self._feed, args=(body,), daemon=True, name="git-stdin")
            self._writer.start()

    def _feed(self, body: Iterable[bytes]) -> None:
        try:
            for chunk in body:
                self.proc.stdin.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the program finished without needing the rest
        except Exception as exc:  # a bad or cut-off body: git sees EOF and fails cleanly
            self.input_error = exc
        finally:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def __iter__(self) -> Iterator[bytes]:
        try:
            while chunk := self.proc.stdout.read1(CHUNK_SIZE):
                yield chunk
            self.returncode = self.proc.wait()
        finally:
            self._finish()

    def close(self) -> None:
        """Called by the response when it is done, even if never iterated."""
        self._finish()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        if self.proc.poll() is None:  # the client went away mid-response
            self.proc.kill()
        self.returncode = self.proc.wait()
        if self._writer is not None:
            self._writer.join(timeout=30)
        self.proc.stdout.close()
        self._errors.seek(0)
        self.stderr = self._errors.read(64 * 1024)
        self._errors.close()
        if self.returncode != 0 or self.input_error:
            log.warning(
                "%s exited with %s%s: %s",
                " ".join(self.argv[1:3]),
                self.returncode,
                f" (request body: {self.input_error})" if self.input_error else "",
                self.stderr.decode("utf-8", "replace").strip()[:2000],
            )
        if self._on_finish is not None:
            try:
                self._on_finish(self)
            except Exception:
                log.exception("after %s", self.argv[1])
