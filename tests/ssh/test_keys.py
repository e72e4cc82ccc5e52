"""Parsing pasted public keys: each mistake gets its own message."""

import base64
import struct

import pytest

from lindos.ssh.keys import InvalidKey, parse_public_key
from tests.sshd import keygen


def blob(*strings: bytes) -> str:
    return base64.b64encode(b"".join(struct.pack(">I", len(s)) + s for s in strings)).decode()


@pytest.mark.parametrize("kind, bits", [("ed25519", None), ("ecdsa", 256), ("ecdsa", 521), ("rsa", 3072)])
def test_real_keys_and_openssh_fingerprint(tmp_path, kind, bits):
    import subprocess

    public = keygen(tmp_path / "k", kind, bits, comment="me@laptop")
    key = parse_public_key(public + "\n")
    expected = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(tmp_path / "k.pub")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert f"SHA256:{key.fingerprint}" == expected
    assert key.comment == "me@laptop"
    assert key.openssh == " ".join(public.split()[:2])


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Paste a public key"),
        ("   \n", "Paste a public key"),
        (
            "AAAAC3NzaC1lZDI1NTE5AAAAIP1NA2kBQIKe74afUXmIWD9ByDYQJqUwW44Y4gJOBRuo",
            "has a type and a base64 part",
        ),
        ("ssh-foo AAAA", "Unsupported key type 'ssh-foo'"),
        ("ssh-dss AAAAB3NzaC1kc3M=", "DSA keys are no longer accepted"),
        ("ssh-ed25519 AAAA'AAA", "characters that cannot be in it"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1NA2kBQIKe74afUXmIWD9ByDYQJqUwW44Y4gJOBR", "cut short"),
        (
            "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIP1NA2kBQIKe74afUXmIWD9ByDYQJqUwW44Y4gJOBRuo",
            "says it is ssh-rsa but its base64 part is not",
        ),
        ("ssh-ed25519 " + blob(b"ssh-ed25519"), "incomplete or has extra data"),
        ("ssh-ed25519 " + blob(b"ssh-ed25519", b"x" * 31), "not 32 bytes"),
        ("ssh-rsa " + blob(b"ssh-rsa", b"\x01\x00\x01", b"\x00" + b"\xff" * 128), "1024 bits; at least 2048"),
        (
            "ecdsa-sha2-nistp256 " + blob(b"ecdsa-sha2-nistp256", b"nistp384", b"\x04" + b"1" * 96),
            "names curve",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
            "This is a private key",
        ),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "This is a private key"),
        ("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none", "This is a private key"),
        ("---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----", "ssh-keygen -i -f"),
        ("ssh-ed25519 AAAA one\nssh-ed25519 AAAA two", "one key at a time"),
        ("ssh-ed25519 AAAA\x00", "NUL"),
        ("x" * 9000, "too long"),
    ],
)
def test_each_mistake_has_its_message(text, message):
    with pytest.raises(InvalidKey) as info:
        parse_public_key(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_private_key_of_ssh_keygen_is_named(tmp_path):
    keygen(tmp_path / "k")
    with pytest.raises(InvalidKey, match="This is a private key"):
        parse_public_key((tmp_path / "k").read_text())


def test_junk_is_refused_without_echoing_it():
    junk = "ssh-" + "\u202e<script>" * 50
    with pytest.raises(InvalidKey) as info:
        parse_public_key(junk + " AAAA")
    assert len(str(info.value)) < 200
