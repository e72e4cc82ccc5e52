"""The web session, checked on every request of a signed-in account (as
Kallithea did), not only at login: a session opened at the office stops
working at home, and starts again back at the office.

A refused request gets a 403 page saying why, whatever it asked for (no
redirect, so no loop); signing out stays possible. The session is kept, as
Kallithea kept it.
"""

from __future__ import annotations

import logging

from django.shortcuts import render
from django.urls import Resolver404, resolve

from lindos.ipaccess.access import refusal

log = logging.getLogger(__name__)

#: Pages a refused account may still reach.
OPEN_URL_NAMES = frozenset({"logout"})


class IpAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            address = request.META.get("REMOTE_ADDR")
            reason = refusal(user, address, request)
            if reason is not None and not _open(request):
                log.info("refused %s from %s: not in the allowed networks", user.username, address)
                return render(
                    request, "ipaccess/refused.html", {"reason": reason, "address": address}, status=403
                )
        return self.get_response(request)


def _open(request) -> bool:
    try:
        return resolve(request.path_info).url_name in OPEN_URL_NAMES
    except Resolver404:
        return False
