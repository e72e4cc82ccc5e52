import pytest

from lindos.ipaccess.networks import BadNetwork, address_allowed, client_address, ip_range, parse_network


@pytest.mark.parametrize(
    "text,expected",
    [
        ("192.0.2.7", "192.0.2.7/32"),
        (" 10.0.0.0/8 ", "10.0.0.0/8"),
        ("10.1.2.3/8", "10.0.0.0/8"),  # host bits dropped: one network, one spelling
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("2001:db8::1", "2001:db8::1/128"),
        ("2001:DB8:0:0::/32", "2001:db8::/32"),
        ("::1", "::1/128"),
        ("::/0", "::/0"),
        ("::ffff:10.0.0.0/104", "::ffff:a00:0/104"),
    ],
)
def test_parse_network(text, expected):
    assert parse_network(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "10.0.0.256",
        "10.0.0.0/33",
        "2001:db8::/129",
        "10.0.0.0/-1",
        "example.com",
        "10.0.0.0/8; DROP TABLE users",
        "<script>alert(1)</script>",
        "fe80::1%eth0",
        "１０.0.0.1",  # full-width digits
        "10.0.0.0/8\n10.0.0.0/8",
        "1" * 10_000,
        None,
        ["10.0.0.0/8"],
    ],
)
def test_bad_networks_are_refused_with_a_reason(text):
    with pytest.raises(BadNetwork) as exc:
        parse_network(text)
    assert str(exc.value)


def test_ip_range():
    assert ip_range("10.0.0.0/8") == ["10.0.0.0", "10.255.255.255"]
    assert ip_range("192.0.2.7/32") == ["192.0.2.7", "192.0.2.7"]
    assert ip_range("2001:db8::/32") == ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"]


def test_client_address_reads_zones_and_mapped_ipv4():
    assert str(client_address("fe80::1%eth0")) == "fe80::1"
    assert str(client_address("::ffff:10.1.2.3")) == "10.1.2.3"
    assert client_address("") is None and client_address(None) is None
    assert client_address("10.1.2.3, 127.0.0.1") is None  # a raw X-Forwarded-For is not an address


@pytest.mark.parametrize(
    "address,networks,allowed",
    [
        ("127.0.0.1", [], True),  # no entries: everywhere
        ("127.0.0.1", ["10.0.0.0/8"], False),
        ("10.200.1.1", ["10.0.0.0/8"], True),
        ("127.0.0.1", ["10.0.0.0/8", "127.0.0.0/8"], True),
        ("::1", ["10.0.0.0/8"], False),
        ("::1", ["::1/128"], True),
        ("2001:db8:1::5", ["2001:db8::/32"], True),
        ("2001:db9::5", ["2001:db8::/32"], False),
        ("::ffff:10.1.2.3", ["10.0.0.0/8"], True),  # IPv4 on a dual-stack socket
        ("10.1.2.3", ["::ffff:0:0/96"], False),  # versions never mix
        (None, ["10.0.0.0/8"], False),  # unknown address: refused once restricted
        ("", ["10.0.0.0/8"], False),
        ("not-an-address", ["10.0.0.0/8"], False),
        (None, [], True),
        ("10.1.2.3", ["garbage"], False),  # an unreadable entry still restricts
    ],
)
def test_address_allowed(address, networks, allowed):
    assert address_allowed(address, networks) is allowed
    assert address_allowed(address, iter(networks)) is allowed
