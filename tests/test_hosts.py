"""Trusted host names and the address links are built on (lindos/hosts.py)."""

import pytest

from lindos import hosts

MACHINE = lambda: ["build7", "build7.example.net", "192.0.2.7", "[2001:db8::7]"]  # noqa: E731


@pytest.mark.parametrize(
    "canonical, bind, expected",
    [
        ("", "127.0.0.1", ("localhost", "127.0.0.1", "[::1]")),
        ("https://Code.Example.com", "127.0.0.1", ("code.example.com", "localhost", "127.0.0.1", "[::1]")),
        ("http://localhost:5000", "::1", ("localhost", "127.0.0.1", "[::1]")),
        (
            "",
            "0.0.0.0",
            ("localhost", "127.0.0.1", "[::1]", "build7", "build7.example.net", "192.0.2.7", "[2001:db8::7]"),
        ),
        ("", "192.0.2.10", ("192.0.2.10",)),
        ("", "2001:db8::1", ("[2001:db8::1]",)),
        ("http://[2001:db8::2]:8080", "lindos.lan", ("[2001:db8::2]", "lindos.lan")),
    ],
)
def test_default_allowed_hosts(canonical, bind, expected):
    assert hosts.default_allowed_hosts(canonical, bind, MACHINE) == expected


@pytest.mark.parametrize(
    "entry, ok",
    [
        ("lindos.example.com", True),
        (".example.com", True),
        ("*", True),
        ("[::1]", True),
        ("192.0.2.1", True),
        ("localhost", True),
        ("http://x", False),
        ("x/y", False),
        ("x:80", False),
        ("[nope]", False),
        ("a b", False),
        ("<script>", False),
        ("x\r\nSet-Cookie: a=b", False),
        ("é.example", False),
        ("-x.com", False),
        ("a" * 254, False),
    ],
)
def test_check_allowed_host(entry, ok):
    assert (hosts.check_allowed_host(entry) is None) == ok


@pytest.mark.parametrize(
    "host, port, url",
    [
        ("127.0.0.1", 5000, "http://localhost:5000"),
        ("::1", 5000, "http://localhost:5000"),
        ("0.0.0.0", 8080, "http://build7.example.net:8080"),
        ("", 80, "http://build7.example.net"),
        ("192.0.2.10", 5000, "http://192.0.2.10:5000"),
        ("2001:db8::1", 5000, "http://[2001:db8::1]:5000"),
        ("code.example.com", 443, "http://code.example.com:443"),
    ],
)
def test_base_url(host, port, url):
    assert hosts.base_url(host, port, machine=MACHINE) == url


def test_wildcard_without_a_machine_name_falls_back_to_localhost():
    assert (
        hosts.base_url("0.0.0.0", 5000, machine=lambda: ["localhost", "127.0.0.1"]) == "http://localhost:5000"
    )


def test_machine_names_are_this_machines():
    import socket

    assert socket.gethostname() in hosts.machine_names()
