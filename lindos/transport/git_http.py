"""git's smart HTTP protocol (gitprotocol-http(5)) as Django views.

Three requests, at ``/REPO`` or ``/REPO.git``:

* ``GET  /REPO/info/refs?service=git-upload-pack|git-receive-pack``
* ``POST /REPO/git-upload-pack``  (fetch, clone; protocol v0, v1 and v2)
* ``POST /REPO/git-receive-pack`` (push)

Access follows ``lindos.repos.permissions``: reading needs ``read``,
pushing needs ``write``. Without credentials, anything not open to
everyone gets 401 so the client asks for them, whether or not the
repository exists (names don't leak); with credentials, a repository the
user may not read is 404 and a push without write permission is 403 with
a message git shows as ``remote: ...``.

These views never touch the session or CSRF machinery: git authenticates
every request with HTTP Basic.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from lindos.repos.journal import RefChange
from lindos.repos.models import Repository
from lindos.repos.push import do_after_push
from lindos.transport import access
from lindos.transport.auth import throttled_response
from lindos.transport.body import BodyError, request_body
from lindos.transport.git_refs import current_ref, fix_dangling_head
from lindos.transport.git_service import (
    SERVICES,
    ServiceRun,
    advertisement_prefix,
    protocol_env,
    service_argv,
)
from lindos.transport.pktline import CommandSniffer

log = logging.getLogger(__name__)

REALM = "Lindos"
NO_CACHE = {
    "Cache-Control": "no-cache, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "Fri, 01 Jan 1980 00:00:00 GMT",
}


def _text(status: int, message: str, **headers) -> HttpResponse:
    response = HttpResponse(
        message.rstrip("\n") + "\n", status=status, content_type="text/plain; charset=utf-8"
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _challenge(message: str = "Authentication required") -> HttpResponse:
    response = _text(401, message, WWW_Authenticate=f'Basic realm="{REALM}", charset="UTF-8"')
    # Every authenticated git command starts with an anonymous request
    # answered 401: that is the protocol, not something to log as a warning.
    response._has_been_logged = True
    return response


def find_repository(name: str) -> Repository | None:
    """``name`` exactly, else ``name`` without a ``.git`` suffix."""
    return access.find_repository(name, "git")


def authorize(request, name: str, service: str):
    """(repository, user, its folder) if allowed, else the refusal to send back."""
    decision = access.decide(
        request.META.get("HTTP_AUTHORIZATION"),
        name,
        kind="git",
        write=service == "git-receive-pack",
        address=request.META.get("REMOTE_ADDR"),
        front_end_user=getattr(request, "front_end_user", None),
    )
    if isinstance(decision, access.Refusal):
        if decision.throttled is not None:
            return throttled_response(decision.throttled)
        if decision.challenge:
            return _challenge(decision.message)
        return _text(decision.status, decision.message)
    return tuple(decision)


@csrf_exempt
def info_refs(request, repo_name: str):
    """The ref advertisement that starts every fetch and push."""
    service = request.GET.get("service")
    if request.method not in ("GET", "HEAD") or service not in SERVICES:
        # The dumb HTTP protocol is not offered: git has not needed it since
        # 2010, and serving raw object files would need checks of its own.
        return _text(404, "Only git's smart HTTP protocol is supported")
    allowed = authorize(request, repo_name, service)
    if isinstance(allowed, HttpResponse):
        return allowed
    _repo, _user, path = allowed
    git_protocol = request.META.get("HTTP_GIT_PROTOCOL")
    run = ServiceRun(service_argv(service, path, advertise=True), protocol_env(git_protocol), None)
    return StreamingHttpResponse(
        _prefixed(advertisement_prefix(service, git_protocol), run),
        content_type=f"application/x-{service}-advertisement",
        headers=NO_CACHE,
    )


class _prefixed:
    """An iterable of ``prefix`` then ``run``'s output that closes ``run``."""

    def __init__(self, prefix: bytes, run: ServiceRun):
        self.prefix, self.run = prefix, run

    def __iter__(self):
        if self.prefix:
            yield self.prefix
        yield from self.run

    def close(self):
        self.run.close()


@csrf_exempt
def service_rpc(request, repo_name: str, service: str):
    """One stateless round of upload-pack or receive-pack."""
    if request.method != "POST":
        return _text(405, f"{service} takes POST requests", Allow="POST")
    if request.META.get("CONTENT_TYPE", "").split(";")[0].strip() != f"application/x-{service}-request":
        return _text(415, f"Expected Content-Type application/x-{service}-request")
    allowed = authorize(request, repo_name, service)
    if isinstance(allowed, HttpResponse):
        return allowed
    repo, user, path = allowed
    try:
        body = request_body(request.META)
    except BodyError as exc:
        return _text(400, str(exc))
    on_finish = None
    if service == "git-receive-pack":
        body = CommandSniffer(body)
        on_finish = _journal_push(repo, user, body)
    run = ServiceRun(
        service_argv(service, path, advertise=False),
        protocol_env(request.META.get("HTTP_GIT_PROTOCOL")),
        body,
        on_finish,
    )
    return StreamingHttpResponse(run, content_type=f"application/x-{service}-result", headers=NO_CACHE)


def _journal_push(repo: Repository, user, sniffer: CommandSniffer):
    """After receive-pack: record the push (see ``record_git_push``)."""

    def finish(run: ServiceRun) -> None:
        record_git_push(repo, user, run.argv[-1], sniffer.commands)

    return finish


def record_git_push(repo: Repository, user, path: str, commands) -> None:
    """Record the push commands whose ref now has the new value; tidy HEAD.

    Commands come from the push itself, so two concurrent pushes are each
    credited with their own refs; checking the refs afterwards drops
    commands receive-pack refused (stale old value, hook veto). Git over
    SSH (``lindos.ssh.serve_git``) calls this too.
    """
    if not commands:
        return
    moved = [
        RefChange(c.ref, c.old, c.new)
        for c in commands
        if current_ref(path, c.ref) == (None if set(c.new) == {"0"} else c.new)
    ]
    if moved:
        fix_dangling_head(
            path,
            [c.ref[len("refs/heads/") :] for c in moved if c.ref.startswith("refs/heads/") and not c.deleted],
        )
    do_after_push(repo, user, moved)
