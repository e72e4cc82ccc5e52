"""Allowed networks as text: parsing, ranges and matching; pure, no Django.

An entry is an IPv4 or IPv6 address or network in CIDR form. A bare address
is the network of that one address (``/32`` or ``/128``), as Kallithea's
form made it; host bits past the prefix are dropped (``10.1.2.3/8`` is
``10.0.0.0/8``), so one network is always written one way and the unique
constraint sees duplicates.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

#: Longest entry looked at: the longest IPv6 network in text is 43 characters.
MAX_TEXT = 64

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class BadNetwork(ValueError):
    """The one-line reason an entry was refused (shown on the form)."""


def parse_network(text) -> str:
    """``text`` as a network in its one written form, or BadNetwork."""
    if not isinstance(text, str):
        raise BadNetwork("Please enter a valid IPv4 or IPv6 address or network.")
    value = text.strip()
    if not value:
        raise BadNetwork("Please enter an IP address or network.")
    if len(value) > MAX_TEXT or not value.isascii() or not value.isprintable():
        raise BadNetwork("Please enter a valid IPv4 or IPv6 address or network.")
    if "%" in value:
        # A zone ("fe80::1%eth0") names a link of this machine, not a network.
        raise BadNetwork("An address with a zone (%) cannot be allowed; leave the zone out.")
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise BadNetwork(
            "Please enter a valid IPv4 or IPv6 address or network (e.g. 192.0.2.7, 10.0.0.0/8 or 2001:db8::/32)."
        ) from None
    return str(network)


def ip_range(text: str) -> list[str]:
    """First and last address of the network (Kallithea's ``ip_range``)."""
    network = ipaddress.ip_network(text, strict=False)
    return [str(network.network_address), str(network.broadcast_address)]


def client_address(text) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a client came from, or None if it is not one.

    A zone is dropped (``fe80::1%eth0``) and an IPv4 address that reached
    an IPv6 socket (``::ffff:10.1.2.3``) is that IPv4 address, so an entry
    ``10.0.0.0/8`` matches it."""
    if not isinstance(text, str) or not text or len(text) > MAX_TEXT * 2:
        return None
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0].strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def address_allowed(address_text, networks: Iterable[str]) -> bool:
    """May a client at ``address_text`` come in, given the allowed ``networks``?

    No networks at all means everywhere (Kallithea's ``0.0.0.0/0`` and
    ``::/0``). Otherwise the address must be in one of them; an address
    that cannot be read (none, or not an IP address) is in none, and an
    entry that cannot be read allows nobody (it still restricts)."""
    networks = list(networks)
    if not networks:
        return True
    address = client_address(address_text)
    if address is None:
        return False
    for text in networks:
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            continue  # written through parse_network, so not expected
        if address.version == network.version and address in network:
            return True
    return False
