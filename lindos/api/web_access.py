"""The API key on web pages: ``?api_key=KEY`` or ``Authorization: Bearer
KEY`` authenticate one request to the pages a build farm fetches (raw
files, archives, raw diffs; Kallithea's ``api_access_controllers_whitelist``)
and to the feeds a feed reader polls (``lindos.activity``), as Kallithea
allowed.  Other pages ignore both: a key in a URL ends up in logs and
histories, so it only opens what scripts need.  A key that is not valid is
a 403, never a fall back to the session.
"""

from __future__ import annotations

import functools

from django.http import HttpResponseForbidden

from lindos.accounts.api_keys import login_with_api_key
from lindos.ipaccess.access import refusal as ip_refusal
from lindos.transport.auth import throttled_response


def key_from(request) -> str | None:
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.GET.get("api_key")


def api_key_allowed(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = key_from(request)
        if key is not None:
            user, throttled = login_with_api_key(key, address=request.META.get("REMOTE_ADDR"), source="web")
            if throttled is not None:
                return throttled_response(throttled)
            if user is None:
                return HttpResponseForbidden("Invalid API key\n", content_type="text/plain")
            refused = ip_refusal(user, request.META.get("REMOTE_ADDR"), request)
            if refused is not None:
                return HttpResponseForbidden(refused + "\n", content_type="text/plain; charset=utf-8")
            request.user = user
            request.lindos_api_key = key
        return view(request, *args, **kwargs)

    return wrapper
