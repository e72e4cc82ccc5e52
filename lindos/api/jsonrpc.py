"""Kallithea's JSON-RPC wire format, independent of any method.

A request is a POST whose body is ``{"id", "api_key", "method", "args"}``;
the answer is always HTTP 200 with ``{"id", "result", "error"}`` where
exactly one of ``result``/``error`` is set (``error`` a sentence).
Checks happen in Kallithea's order, with its words:

1. a body at all (``No Content-Length in request``, ``Content-Length is 0``);
2. JSON (``JSON parse error ERR:... RAW:...``; the echoed body is cut to
   200 characters);
3. the four keys (``Incorrect JSON query missing 'KEY'``; ``args`` that is
   not an object counts as ``{}``);
4. the key (``Invalid API key``);
5. the method (``Method not allowed`` for ``_names``, ``No such method: X``);
6. the arguments: ``Missing non optional `X` arg in JSON DATA``,
   ``Unknown `X` arg in JSON DATA``, and (Lindos) a wrong JSON type;
   ``null`` for an optional argument means "not given";
7. the method's own errors, or ``Internal server error`` for a bug.

Methods are registered with ``api_method``: their Python signature is the
method's argument list (names, defaults), the annotations their types.
"""

from __future__ import annotations

import datetime
import decimal
import inspect
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lindos.api.errors import NEEDS_ADMIN, WRONG_TYPE, JSONRPCError

log = logging.getLogger("lindos.api")

REQUIRED = inspect.Parameter.empty


# -- argument types --------------------------------------------------------------


class ArgType:
    """A JSON type an argument accepts, and how strings from ``lindos api``
    / ``kallithea-api`` (which send every value as text) are read."""

    def __init__(self, name: str, check: Callable[[Any], Any]):
        self.name, self.check = name, check

    def __repr__(self):
        return self.name


class _Bad(Exception):
    pass


def _str(value):
    if isinstance(value, str):
        return value
    raise _Bad


def _int(value):
    if isinstance(value, bool):
        raise _Bad
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 19:
        return int(value)
    raise _Bad


TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off", ""}


def _bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise _Bad


def _id(value):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Bad
    return value


def _ids(value):
    if isinstance(value, list):
        return [_id(v) for v in value]
    return _id(value)


def _dict(value):
    if isinstance(value, dict):
        return value
    raise _Bad


Str = ArgType("string", _str)
Int = ArgType("integer", _int)
Bool = ArgType("boolean", _bool)
Id = ArgType("string or integer", _id)  # a name or a numeric id
IdList = ArgType("string, integer or list of them", _ids)
Dict = ArgType("object", _dict)
Any_ = ArgType("any", lambda value: value)


@dataclass
class Param:
    name: str
    type: ArgType
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass
class ApiMethod:
    name: str
    func: Callable
    params: list[Param]
    admin_only: bool = False


@dataclass
class Call:
    """What a method gets besides its arguments."""

    user: Any
    ip_addr: str
    request: Any = None
    method: str = ""
    extra: dict = field(default_factory=dict)


REGISTRY: dict[str, ApiMethod] = {}


def api_method(*, admin: bool = False, name: str | None = None):
    """Register ``func(call, **args)`` as an API method; parameters after
    ``call`` are its arguments, annotated with an ``ArgType``."""

    def register(func):
        signature = inspect.signature(func, eval_str=True)
        params = []
        for p in list(signature.parameters.values())[1:]:
            kind = p.annotation if isinstance(p.annotation, ArgType) else Any_
            params.append(Param(p.name, kind, p.default))
        method_name = name or func.__name__
        REGISTRY[method_name] = ApiMethod(method_name, func, params, admin)
        return func

    return register


# -- the request ----------------------------------------------------------------


class RequestError(Exception):
    """A fault found before the method runs: answered with ``id`` as known."""

    def __init__(self, message: str, req_id=None):
        super().__init__(message)
        self.message, self.req_id = message, req_id


@dataclass
class Parsed:
    req_id: Any
    api_key: Any
    method: Any
    args: dict


def parse_body(body: bytes | None, has_length: bool) -> Parsed:
    if not has_length:
        raise RequestError("No Content-Length in request")
    if not body:
        raise RequestError("Content-Length is 0")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raw = body[:200]
        raise RequestError("JSON parse error ERR:%s RAW:%r" % (exc, raw))
    if not isinstance(data, dict):
        raise RequestError("Incorrect JSON query missing 'api_key'")
    for key in ("api_key", "id", "method", "args"):
        if key not in data:
            # Kallithea reads api_key, then id: the id is known from then on.
            raise RequestError(
                "Incorrect JSON query missing '%s'" % key, data["id"] if key in ("method", "args") else None
            )
    args = data["args"] if isinstance(data["args"], dict) else {}
    return Parsed(data["id"], data["api_key"], data["method"], args)


def find_method(name) -> ApiMethod:
    if not isinstance(name, str):
        raise JSONRPCError("No such method: %s" % (name,))
    if name.startswith("_"):
        raise JSONRPCError("Method not allowed")
    method = REGISTRY.get(name)
    if method is None:
        raise JSONRPCError("No such method: %s" % (name,))
    return method


def bind_args(method: ApiMethod, args: dict) -> dict:
    """Check `args` against the method's parameters (Kallithea's order:
    missing first, then unknown), then their types."""
    for param in method.params:
        if param.required and param.name not in args:
            raise JSONRPCError("Missing non optional `%s` arg in JSON DATA" % param.name)
    known = {p.name for p in method.params}
    extra = sorted(set(args) - known)
    if extra:
        raise JSONRPCError("Unknown %s arg in JSON DATA" % ", ".join("`%s`" % a for a in extra))
    bound = {}
    for param in method.params:
        if param.name not in args:
            continue
        value = args[param.name]
        if value is None and not param.required:
            continue  # null is "not given": the method's default applies
        try:
            bound[param.name] = param.type.check(value)
        except _Bad:
            raise JSONRPCError(WRONG_TYPE % (param.name, param.type.name))
    return bound


def run_method(method: ApiMethod, call: Call, args: dict):
    if method.admin_only and not call.user.is_superuser:
        raise JSONRPCError(NEEDS_ADMIN % method.name)
    return method.func(call, **args)


# -- the answer -----------------------------------------------------------------


def _encode(value):
    """JSON for what methods return: Kallithea's ``ext_json`` writes
    datetimes as ISO 8601 in the server's local time, to milliseconds."""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        text = value.isoformat()
        return text[:23] if value.microsecond else text
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def answer(req_id, result=None, error: str | None = None) -> bytes:
    try:
        return json.dumps(
            {"id": req_id, "result": None if error else result, "error": error}, default=_encode
        ).encode()
    except (TypeError, ValueError):
        log.exception("API answer could not be encoded")
        return json.dumps(
            {"id": None if not _plain(req_id) else req_id, "result": None, "error": "Error encoding response"}
        ).encode()


def _plain(value) -> bool:
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False
