"""The receiver URL policy (SSRF)."""

import pytest

from lindos.webhooks.targets import TargetRefused, check_url, is_public, parse_url, resolve


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "gopher://example.com",
        "javascript:alert(1)",
        "http://user:pw@example.com/",
        "http:///nohost",
        "http://exa mple.com/",
        "http://[::1",
        "http://example.com:99999/",
        "//example.com/x",
        "example.com",
    ],
)
def test_bad_urls_are_refused(url):
    with pytest.raises(TargetRefused):
        check_url(url, allow_private=True)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
        "100.64.0.1",
        "240.0.0.1",
    ],
)
def test_non_public_addresses(address):
    assert not is_public(address)
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(TargetRefused, match="not a public address"):
        check_url(f"http://{host}/hook", allow_private=False)
    check_url(f"http://{host}/hook", allow_private=True)


def test_public_addresses_and_names_pass():
    assert is_public("93.184.216.34") and is_public("2606:4700::1111")
    check_url("https://ci.example.com:8443/hook?x=1", allow_private=False)
    assert parse_url("https://ci.example.com/hook?x=1") == ("https", "ci.example.com", 443, "/hook?x=1")
    with pytest.raises(TargetRefused):
        check_url("http://localhost:8080/", allow_private=False)


def test_resolution_is_checked_at_delivery():
    with pytest.raises(TargetRefused, match="not a public address"):
        resolve("http://localhost/hook", allow_private=False)
    assert resolve("http://localhost/hook", allow_private=True).address in ("127.0.0.1", "::1")
    with pytest.raises(TargetRefused, match="cannot resolve"):
        resolve("http://no-such-host.invalid/", allow_private=True)
