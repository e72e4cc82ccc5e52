"""``/_admin/api``: the JSON-RPC endpoint (see ``jsonrpc`` for the format).

Every answer is HTTP 200 with a JSON body, whatever went wrong; the API
key in the body is the only credential looked at (no session, no CSRF
token: the key is what a script has).  The key is never logged.
"""

from __future__ import annotations

import logging
import time

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from lindos.accounts.api_keys import login_with_api_key
from lindos.api import jsonrpc
from lindos.api.errors import JSONRPCError
from lindos.api.methods import load_all
from lindos.ipaccess.access import refusal as ip_refusal

log = logging.getLogger("lindos.api")

load_all()


def _json(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@csrf_exempt
def api(request):
    started = time.monotonic()
    try:
        body = request.body
    except RequestDataTooBig:
        return _json(jsonrpc.answer(None, error="Request body too large"))
    has_length = "CONTENT_LENGTH" in request.META or bool(body)
    try:
        parsed = jsonrpc.parse_body(body, has_length)
    except jsonrpc.RequestError as exc:
        return _json(jsonrpc.answer(exc.req_id, error=exc.message))
    req_id = parsed.req_id
    user, throttled = login_with_api_key(
        parsed.api_key, address=request.META.get("REMOTE_ADDR"), source="api"
    )
    if throttled is not None:
        return _json(jsonrpc.answer(req_id, error=throttled.message))
    if user is None:
        return _json(jsonrpc.answer(req_id, error="Invalid API key"))
    refused = ip_refusal(user, client_ip(request), request)
    if refused is not None:
        log.info("IP: %s API refused for %s: not in the allowed networks", client_ip(request), user.username)
        return _json(jsonrpc.answer(req_id, error=refused))
    # Error mails must not show the key (``error_mail.known_secrets``).
    request.lindos_api_key = parsed.api_key
    request.user = user
    call = jsonrpc.Call(
        user=user,
        ip_addr=client_ip(request),
        request=request,
        method=parsed.method if isinstance(parsed.method, str) else "",
    )
    try:
        method = jsonrpc.find_method(parsed.method)
        args = jsonrpc.bind_args(method, parsed.args)
        result = jsonrpc.run_method(method, call, args)
    except JSONRPCError as exc:
        body = jsonrpc.answer(req_id, error=exc.message)
    except Exception:
        log.exception("API method %r failed", call.method)
        body = jsonrpc.answer(req_id, error="Internal server error")
    else:
        body = jsonrpc.answer(req_id, result)
    log.info(
        "IP: %s API %s by %s time: %.3fs",
        call.ip_addr,
        call.method,
        user.username,
        time.monotonic() - started,
    )
    return _json(body)
