"""The one decision: may this account be used from this address?

Every way in asks ``is_allowed`` (or ``refusal``): the web session on each
request (``middleware``), the login form, API keys (JSON-RPC and
``?api_key=`` pages), git and hg over HTTP, and SSH. The address is the
one Lindos uses everywhere: ``REMOTE_ADDR`` (the client named by
``X-Forwarded-For`` only when ``[server:main] trusted_proxy`` says the
connection is from that proxy) or, for SSH, the first word of
``SSH_CONNECTION``.

Policy (Kallithea 0.7's ``AuthUser.get_allowed_ips``): an account's allowed
networks are the default list plus its own; none at all means everywhere.
Admins are bound like everyone else. Anonymous visitors are not accounts
and are not bound (Kallithea fell back to anonymous access for them).
"""

from __future__ import annotations

from django.db.models import Q

from lindos.ipaccess.models import AllowedNetwork
from lindos.ipaccess.networks import address_allowed

#: Where a request keeps its answers, by (user id, address).
REQUEST_MEMO = "_lindos_ip_access"


def allowed_networks(user_id: int | None) -> list[str]:
    """The default list plus ``user_id``'s own entries: one query."""
    rows = AllowedNetwork.objects.filter(Q(user__isnull=True) | Q(user_id=user_id))
    return list(rows.values_list("network", flat=True))


def is_allowed(user, address: str | None, request=None) -> bool:
    """May ``user`` (an account; None or anonymous is always allowed) be
    used from ``address``? With ``request``, the answer is kept on it, so a
    request asks the database once however many times it is checked."""
    user_id = getattr(user, "pk", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return True
    memo = None
    if request is not None:
        memo = request.__dict__.setdefault(REQUEST_MEMO, {})
        if (user_id, address) in memo:
            return memo[(user_id, address)]
    answer = address_allowed(address, allowed_networks(user_id))
    if memo is not None:
        memo[(user_id, address)] = answer
    return answer


def refusal(user, address: str | None, request=None) -> str | None:
    """None if ``user`` may come from ``address``, else the one-line reason."""
    if is_allowed(user, address, request):
        return None
    return refusal_text(user, address)


def refusal_text(user, address: str | None) -> str:
    shown = address if address else "an unknown address"
    shown = "".join(c if c.isprintable() else "?" for c in shown[:64])
    return f"Access for {user.username} from {shown} is not allowed: the address is not in the account's allowed networks."
