"""Which host names Lindos answers to, and which address a link is built on.

A ``Host`` header is chosen by whoever sends the request.  Links that leave
the site (mail) must never be built from one Lindos does not trust: a
password-reset link on ``evil.example`` hands the victim's token to the
attacker.  So Lindos answers only to the names in ``allowed_hosts`` (Django's
``ALLOWED_HOSTS``: any other Host is a 400 before a view runs), and by
default those are the names of ``canonical_url`` and of the address
``lindos serve`` binds (for a wildcard address: this machine's own names).

Everything here is pure apart from ``machine_names``, which asks the
operating system for this machine's names.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::", "*")

# A host name (RFC 1123 labels), an IPv4 address, a bracketed IPv6 address,
# optionally Django's leading-dot form (".example.com": it and its subdomains).
_NAME = re.compile(
    r"\.?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?"
)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def url_host(host: str) -> str:
    """`host` as it stands in a URL or a Host header (IPv6 in brackets)."""
    host = host.strip()
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


def machine_names() -> list[str]:
    """This machine's names and the addresses they resolve to (what a
    wildcard bind is reached at, short of a name only the DNS knows)."""
    names = []
    for name in (socket.gethostname(), socket.getfqdn()):
        if name and name not in names:
            names.append(name)
    for name in list(names):
        try:
            infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
        except OSError:
            continue
        for info in infos:
            address = url_host(info[4][0].split("%", 1)[0])
            if address not in names:
                names.append(address)
    return names


def names_for_bind(server_host: str, machine=machine_names) -> list[str]:
    """The host names a server bound to `server_host` is reached at."""
    host = server_host.strip()
    if host in WILDCARD_ADDRESSES:
        return [*LOOPBACK_NAMES, *(n for n in machine() if n not in LOOPBACK_NAMES)]
    if is_loopback(host):
        return list(LOOPBACK_NAMES)
    return [url_host(host).lower()]


def default_allowed_hosts(canonical_url: str, server_host: str, machine=machine_names) -> tuple:
    """``allowed_hosts`` when the file does not set it: the host of
    `canonical_url` and the names of the address ``serve`` binds."""
    hosts = []
    if canonical_url:
        hosts.append(url_host(urlsplit(canonical_url).hostname or "").lower())
    for name in names_for_bind(server_host, machine):
        if name and name not in hosts:
            hosts.append(name)
    return tuple(hosts)


def check_allowed_host(entry: str) -> str | None:
    """Why `entry` is not a valid ``allowed_hosts`` entry, or None."""
    if entry == "*":
        return None
    if entry.startswith("[") and entry.endswith("]"):
        try:
            ipaddress.IPv6Address(entry[1:-1])
            return None
        except ValueError:
            return f"not an IPv6 address: {entry!r}"
    if "://" in entry or "/" in entry:
        return f"a host name, not a URL: {entry!r}"
    if ":" in entry:
        return f"a host name without a port (IPv6 in brackets): {entry!r}"
    if not _NAME.fullmatch(entry) or len(entry) > 253:
        return f"not a host name: {entry!r}"
    return None


def base_url(host: str, port: int, scheme: str = "http", machine=machine_names) -> str:
    """The URL a server bound to `host`:`port` is best reached at, for
    ``canonical_url`` and what ``serve`` prints: ``localhost`` for a
    loopback address, this machine's fully qualified name for a wildcard."""
    host = host.strip()
    if host in WILDCARD_ADDRESSES:
        names = [n for n in machine() if not is_address(n) and not is_loopback(n)]
        host = max(names, key=lambda n: ("." in n, len(n)), default="localhost")
    elif is_loopback(host):
        host = "localhost"
    default_port = {"http": 80, "https": 443}[scheme]
    suffix = "" if port == default_port else f":{port}"
    return f"{scheme}://{url_host(host)}{suffix}"
