"""Where a webhook may point (the receiver URL is typed by a user: SSRF).

Policy:
- only ``http`` and ``https`` URLs with a host name, no user:password part;
- the host is resolved when a delivery is made and the connection goes to
  the address that was checked (``send`` pins it), so a name that changes
  its answer between the check and the connection gains nothing;
- an address that is not public (loopback, private ranges, link-local
  (cloud metadata at 169.254.169.254), multicast, reserved, unspecified,
  IPv4-mapped forms of those) is refused unless the INI key
  ``webhook_allow_private_addresses = true`` allows it;
- redirects are never followed (``send``).

Only repository admins may configure webhooks (``views``).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import NamedTuple
from urllib.parse import urlsplit


class TargetRefused(Exception):
    """The URL or the address it resolves to is not allowed."""


class Target(NamedTuple):
    scheme: str
    host: str  # as written (Host header, TLS server name)
    port: int
    path: str  # path and query
    address: str  # the checked IP address to connect to


def parse_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path-and-query) of an acceptable URL, else TargetRefused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"not a valid URL ({exc})")
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("only http:// and https:// URLs are allowed")
    if not parts.hostname:
        raise TargetRefused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("put credentials in the secret, not in the URL")
    if any(ord(c) < 33 or ord(c) == 127 for c in url.strip()):
        raise TargetRefused("the URL contains spaces or control characters")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_unspecified
    )


def check_address(address: str, allow_private: bool) -> None:
    if not allow_private and not is_public(address):
        raise TargetRefused(f"{address} is not a public address (see webhook_allow_private_addresses)")


def check_url(url: str, allow_private: bool) -> None:
    """The check made when a webhook is saved: the URL's form, and the host
    if it is written as an address (names are checked at delivery)."""
    _scheme, host, _port, _path = parse_url(url)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not allow_private and host.rstrip(".").lower() in ("localhost", "localhost.localdomain"):
            raise TargetRefused("localhost is not a public address (see webhook_allow_private_addresses)")
        return
    check_address(host, allow_private)


def resolve(url: str, allow_private: bool) -> Target:
    """The target to connect to: the first address of the host that passes
    the policy; TargetRefused if none does or the name does not resolve."""
    scheme, host, port, path = parse_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"cannot resolve {host}: {exc}")
    refused = None
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = sockaddr[0]
        try:
            check_address(address, allow_private)
        except TargetRefused as exc:
            refused = exc
            continue
        return Target(scheme, host, port, path, address)
    raise refused or TargetRefused(f"{host} has no address")
