"""Mercurial over HTTP at the repository's own URL: ``/REPO?cmd=...``.

``hg clone``, ``pull`` and ``push`` send every request to ``http://HOST/REPO``
with the wire command in ``?cmd=``. ``repos.browse.home`` hands such
requests here; the summary page is what ``/REPO`` shows without ``cmd``.

1. The command must be one of Mercurial's wire protocol (hgweb's own HTML
   pages are never served): otherwise a 400 the client prints as
   ``abort: HTTP Error 400: ...``.
2. Access is decided by ``access.decide`` (the same as git): read for pull
   commands, write for pushing ones (``hg_wire.needs_write``).
3. The request goes to Mercurial's ``hgweb`` (``hg_serve``) with the
   request body streamed from the WSGI input and the response streamed
   back, so a bundle of any size is never held in memory.
4. A push runs Lindos's hooks (``hg_push``): journal, pull request
   iterations, everything ``repos.push.do_after_push`` does for git.

Refusals carry their one-line reason in the HTTP reason phrase, which is
what hg prints (``abort: HTTP Error 403: Permission denied: ...``).
"""

from __future__ import annotations

import io
import logging
import os
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from mercurial import error as hgerror

from lindos.transport import access, hg_push, hg_serve, hg_wire
from lindos.transport.auth import throttled_response
from lindos.transport.body import BodyError, request_body

log = logging.getLogger(__name__)

REALM = "Lindos"
HGERRTYPE = "application/hg-error"
NO_CACHE = {
    "Cache-Control": "no-cache, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "Fri, 01 Jan 1980 00:00:00 GMT",
}
# Headers a WSGI application may not set (PEP 3333); hgweb sets
# "Connection: close" when it cannot drain a body of unknown length.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}


def reason_phrase(message: str) -> str:
    """One line of Latin-1 (what an HTTP status line can carry)."""
    line = " ".join(message.split())[:300]
    return line.encode("latin-1", "replace").decode("latin-1")


def hg_text(status: int, message: str, **headers) -> HttpResponse:
    """A plain-text answer whose reason phrase is ``message`` (hg prints it)."""
    response = HttpResponse(
        message.rstrip("\n") + "\n",
        status=status,
        reason=reason_phrase(message),
        content_type="text/plain; charset=utf-8",
        headers=NO_CACHE,
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _refusal(refusal: access.Refusal) -> HttpResponse:
    if refusal.throttled is not None:
        return throttled_response(refusal.throttled)
    if refusal.challenge:
        response = hg_text(401, refusal.message, WWW_Authenticate=f'Basic realm="{REALM}", charset="UTF-8"')
        response._has_been_logged = True  # every authenticated hg command starts so
        return response
    return hg_text(refusal.status, refusal.message)


@csrf_exempt
def hg_wire_request(request, repo_name: str):
    """One request of Mercurial's HTTP wire protocol (see module doc)."""
    cmd = hg_wire.wire_command(request.META)
    if not hg_wire.is_wire_command(cmd):
        shown = (cmd or "")[: hg_wire.MAX_COMMAND_LENGTH]
        return hg_text(400, f"Unknown Mercurial wire command {shown!r}")
    if request.method not in ("GET", "HEAD", "POST"):
        return hg_text(
            405, f"Mercurial commands take GET or POST, not {request.method}", Allow="GET, HEAD, POST"
        )
    write = hg_wire.needs_write(request.META)
    decision = access.decide(
        request.META.get("HTTP_AUTHORIZATION"),
        repo_name.rstrip("/"),
        kind="hg",
        write=write,
        address=request.META.get("REMOTE_ADDR"),
        front_end_user=getattr(request, "front_end_user", None),
    )
    if isinstance(decision, access.Refusal):
        return _refusal(decision)
    try:
        environ = serving_environ(request.META, decision.repo.name, decision.user)
    except BodyError as exc:
        return hg_text(400, str(exc))
    config = settings.LINDOS
    options = {
        "extensions_enabled": tuple(config.hg_extensions),
        "evolution": config.hg_evolution,
        "largefiles_cache": os.path.join(config.cache_dir, "largefiles"),
    }
    try:
        if write:
            ui = hg_serve.serving_ui(allow_push=True, **options)
            hg_push.install_push_hooks(
                ui, repository_id=decision.repo.pk, user_id=decision.user.pk if decision.user else None
            )
            app = hg_serve.make_hgweb(hg_serve.open_served(ui, decision.path), decision.repo.name)
        else:
            app = hg_serve.reader_app(decision.path, decision.repo.name, **options)
    except (hgerror.RepoError, hgerror.Abort, hg_serve.hgapi.RepositoryNotFound) as exc:
        log.warning("cannot serve %s: %s", decision.repo.name, exc)
        return hg_text(404, f"Repository '{repo_name}' not found")
    return run_wsgi(app, environ)


def serving_environ(meta: dict, repo_name: str, user) -> dict:
    """The WSGI environ hgweb gets: this repository at its root URL.

    hgweb answers wire commands only at the repository's root
    (``PATH_INFO`` empty). A body of known length is handed over as it is
    (hgweb reads exactly that much); a chunked or gzip one is decoded on
    the fly by ``body.request_body``.
    """
    environ = dict(meta)
    environ["SCRIPT_NAME"] = meta.get("SCRIPT_NAME", "").rstrip("/") + "/" + quote(repo_name)
    environ["PATH_INFO"] = ""
    environ.pop("REPO_NAME", None)
    environ.pop("REMOTE_USER", None)
    if user is not None:
        # Only for hgweb's logs and hooks: the decision is already made.
        environ["REMOTE_USER"] = user.username.encode("utf-8").decode("latin-1")
    encoding = meta.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    length = (meta.get("CONTENT_LENGTH") or "").strip()
    if meta.get("REQUEST_METHOD") in ("POST", "PUT") and (encoding or not length):
        environ["wsgi.input"] = IteratorReader(request_body(meta))
        environ.pop("CONTENT_LENGTH", None)
        environ.pop("HTTP_CONTENT_LENGTH", None)
        environ.pop("HTTP_CONTENT_ENCODING", None)
    return environ


class IteratorReader(io.RawIOBase):
    """A read-only file over an iterator of byte chunks."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
            except BodyError as exc:
                raise OSError(str(exc)) from exc
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


# Mercurial's answers to malformed requests (a batch that does not parse,
# missing arguments): a client error, not a server one.
MALFORMED = (
    hgerror.Abort,
    hgerror.ResponseError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AssertionError,
)


def run_wsgi(app, environ: dict) -> HttpResponse:
    """Run a WSGI application and stream its answer as a Django response.

    hgweb is a generator: it calls ``start_response`` when asked for its
    first chunk, after it has done the work (a push is complete by then).
    """
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, headers
        return _no_write

    result = None
    try:
        result = app(environ, start_response)
        chunks = iter(result)
        first = next(chunks, b"")
    except hgerror.LockError as exc:
        _close(result)
        log.warning("hg request to a locked repository: %s", exc)
        response = hg_text(
            503, "The repository is locked by another operation; try again in a moment", Retry_After="10"
        )
        response._has_been_logged = True  # a busy repository is no server error to mail
        return response
    except MALFORMED as exc:
        _close(result)
        log.info("malformed hg request %s: %s", environ.get("QUERY_STRING", "")[:200], exc)
        return hg_text(400, f"Malformed Mercurial request: {type(exc).__name__}: {exc}")
    except BaseException:
        _close(result)
        raise
    code, _, reason = started["status"].partition(" ")
    response = StreamingHttpResponse(_Chained(first, chunks, result), status=int(code), reason=reason or None)
    for name, value in started["headers"]:
        if name.lower() not in HOP_BY_HOP:
            response[name] = value
    return response


def _no_write(data: bytes) -> None:
    raise RuntimeError("hgweb used the WSGI write() callable")


def _close(result) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


class _Chained:
    """The first chunk, then the rest; closing closes the application's result."""

    def __init__(self, first: bytes, rest, result):
        self.first, self.rest, self.result = first, rest, result

    def __iter__(self):
        if self.first:
            yield self.first
        yield from self.rest

    def close(self) -> None:
        _close(self.result)
