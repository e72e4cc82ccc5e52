"""What an error mail leaves out: the redaction rules, as pure functions.

An error mail goes to the operators' mailboxes, which are read on phones,
forwarded and archived; a secret in one is a secret leaked.  Masked with
``MASK``:

- request headers whose name smells of a secret (``Authorization``,
  ``X-Api-Key``, ``Cookie``, ...) or whose value does (an auth scheme and
  its credentials such as ``Bearer abc`` in any header, a JWT);
- the value of every ``name=value`` parameter (query string, referrer,
  exception text) whose name smells of a secret (``password``, ``pw``,
  ``api_key``, ``csrfmiddlewaretoken``, ...) or whose value does;
- tokens in URL paths: a path segment captured by a URL pattern argument
  named like a secret (the password-reset ``<token>``), in the request's
  own path and in the ``Referer`` it came from, wherever they appear;
- everything in the request body: form fields and JSON values are never
  listed (only field names are), and any of their values (4 characters or
  more) is masked wherever an exception message repeats it;
- known secret values (cookies, the Authorization header, the user's API
  key, ``smtp_password``, the Django secret, the database password)
  anywhere in the mail.
"""

from __future__ import annotations

import json
import re
import traceback
from urllib.parse import unquote_plus, urlsplit

MASK = "********"
_SECRET_WORDS = r"pass|pw|secret|token|key|cookie|session|csrf|auth(?!or)|sig|credential|bearer"
SECRET_NAME = re.compile(_SECRET_WORDS, re.IGNORECASE)
# A value that is itself a credential: an HTTP auth scheme followed by its
# credentials, or a JSON Web Token (three base64url parts, the first "eyJ").
SECRET_VALUE = re.compile(
    r"(?i)\b(?:bearer|basic|digest|token|negotiate|ntlm|apikey|api-key|hoba|mutual)"
    r"\s+[\w\-.~+/=:%]{6,}"
    r"|\beyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*"
)
# name=value pairs at the start of a text or after ?, &, ; or a space.
_PARAM = re.compile(r"(?:^|(?<=[?&;\s]))([^=&;\s#?]+)=([^&;\s#]*)")
# Short values would mask ordinary words and numbers in exception messages.
MIN_BODY_VALUE = 4
# Request environment worth reading; anything else (the process environment
# some servers copy into the WSGI environ) is left out.
ENV_KEYS = {
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_USER",
    "HTTPS",
    "REQUEST_URI",
    "RAW_URI",
    "wsgi.url_scheme",
}


def looks_secret(value: str) -> bool:
    return bool(SECRET_VALUE.search(value) or SECRET_VALUE.search(unquote_plus(value)))


def redact_params(text: str) -> str:
    """Mask the values of ``name=value`` parameters whose name or value
    looks secret."""

    def mask(m):
        name, value = m.group(1), m.group(2)
        if SECRET_NAME.search(unquote_plus(name)) or looks_secret(value):
            return f"{name}={MASK}"
        return m.group(0)

    return _PARAM.sub(mask, text)


def redact_value(text: str) -> str:
    """A header or environment value: masked whole when it looks secret,
    else with its secret parameters masked."""
    return MASK if looks_secret(text) else redact_params(text)


def scrub(text: str, secrets) -> str:
    """`text` with every value of `secrets` (longest first), every
    secret-looking parameter and every credential (``Bearer ...``) masked."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return SECRET_VALUE.sub(MASK, redact_params(text))


def path_secrets(path: str) -> list[str]:
    """The values in `path` captured by URL pattern arguments named like a
    secret (``/_admin/password_reset_confirmation/<uidb64>/<token>``)."""
    from django.urls import Resolver404, resolve

    if not path or not path.startswith("/"):
        return []
    try:
        match = resolve(unquote_plus(path).split("?", 1)[0])
    except (Resolver404, ValueError, UnicodeError):
        return []
    except Exception:
        return []  # a broken URL map must not stop the error mail
    return [
        str(value)
        for name, value in match.kwargs.items()
        if SECRET_NAME.search(name) and value and len(str(value)) >= MIN_BODY_VALUE
    ]


def referer_path(referer: str) -> str:
    try:
        return urlsplit(referer).path
    except ValueError:
        return ""


def request_secrets(request) -> list[str]:
    """Secret values a request carries outside its body: cookies, the
    Authorization header, the CSRF cookie, the user's API key, tokens in
    its path and in its referrer's path, the key a JSON-RPC call or an
    ``?api_key=`` page was authenticated with."""
    values = list(getattr(request, "COOKIES", {}).values())
    values.append(request.META.get("HTTP_AUTHORIZATION", ""))
    values.append(request.META.get("CSRF_COOKIE", ""))
    user = getattr(request, "user", None)
    try:
        values.append(getattr(user, "api_key", "") or "")
    except Exception:
        pass  # the user could not be loaded; nothing of theirs to hide
    values.append(getattr(request, "lindos_api_key", "") or "")  # the key an API call used
    values += path_secrets(request.META.get("PATH_INFO", ""))
    values += path_secrets(referer_path(request.META.get("HTTP_REFERER", "")))
    return [v for v in values if isinstance(v, str)]


def _leaves(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _leaves(value)
    elif isinstance(data, list):
        for value in data:
            yield from _leaves(value)
    elif data is not None and not isinstance(data, bool):
        yield str(data)


def body_values(request) -> list[str]:
    """Every value in the request body the view read: form fields (not
    files), or the leaves of a JSON body.  A body the view did not read is
    not read here (it may be a push of gigabytes, or already consumed)."""
    values = []
    if hasattr(request, "_post"):
        for key in request.POST:
            values += request.POST.getlist(key)
    body = getattr(request, "_body", None)
    if body and request.META.get("CONTENT_TYPE", "").startswith("application/json"):
        try:
            values += list(_leaves(json.loads(body)))
        except (ValueError, UnicodeError, RecursionError):
            pass
    return sorted(
        {v for v in values if isinstance(v, str) and len(v) >= MIN_BODY_VALUE}, key=len, reverse=True
    )


def request_environment(request) -> list[tuple[str, str]]:
    """The request's headers and CGI variables worth reading, redacted;
    for a POST the names of its form fields (never their values)."""
    out = []
    for key in sorted(request.META):
        if key not in ENV_KEYS and not key.startswith("HTTP_"):
            continue
        value = request.META[key]
        if not isinstance(value, (str, int, float)):
            continue
        out.append((key, MASK if SECRET_NAME.search(key) else redact_value(str(value))))
    if request.method == "POST":
        names = ", ".join(sorted(request.POST.keys())) if hasattr(request, "_post") else "(not read)"
        out.append(("POST fields (values left out)", names))
    return out


_FRAME_CHUNKS = (
    '  File "',
    "Traceback (most recent call last):",
    "\nDuring handling of",
    "\nThe above exception",
    "  [Previous line repeated",
)


def format_traceback(exc: BaseException, secrets, message_secrets) -> str:
    """The traceback (no local variables), scrubbed of `secrets`; the
    exception lines (messages, notes), where request data shows up, also of
    `message_secrets` (body values: masking them in file names and source
    lines would garble the frames)."""
    out = []
    for chunk in traceback.TracebackException.from_exception(exc).format():
        chunk = scrub(chunk, secrets)
        if not chunk.startswith(_FRAME_CHUNKS):
            chunk = scrub(chunk, message_secrets)
        out.append(chunk)
    return "".join(out)
