"""Reading a public key as a user pastes it, with a clear word for each mistake.

Pure functions, no Django: the key is parsed as RFC 4253 section 6.6 lays
it out (a base64 blob of length-prefixed strings, the first one repeating
the key type) and checked the way OpenSSH 9 would treat it, so a key that
is accepted here is one ``sshd`` will accept too:

* types: Ed25519, ECDSA (P-256/384/521), RSA of at least 2048 bits, and the
  FIDO (``sk-``) variants. DSA is refused: OpenSSH has disabled it since
  7.0 and removed it in 9.8.
* a private key (OpenSSH, PEM or PuTTY format) pasted by mistake is named
  as such, so nobody wonders why "their key" is refused.

The fingerprint is OpenSSH's ``SHA256:`` one (``ssh-keygen -l``), stored
without the prefix as Kallithea stored it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from typing import NamedTuple

#: Longest text accepted in the form: a 16384-bit RSA key is about 2,800.
MAX_KEY_LENGTH = 8192
MIN_RSA_BITS = 2048

_ECDSA_CURVES = {
    "ecdsa-sha2-nistp256": b"nistp256",
    "ecdsa-sha2-nistp384": b"nistp384",
    "ecdsa-sha2-nistp521": b"nistp521",
}
#: Key type -> number of strings after the type name in the blob.
KEY_TYPES = {
    "ssh-ed25519": 1,
    "ssh-rsa": 2,
    "ecdsa-sha2-nistp256": 2,
    "ecdsa-sha2-nistp384": 2,
    "ecdsa-sha2-nistp521": 2,
    "sk-ssh-ed25519@openssh.com": 2,
    "sk-ecdsa-sha2-nistp256@openssh.com": 3,
}
SUPPORTED = "ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa (2048 bits or more) or a FIDO sk- key"

_PRIVATE_MARKERS = ("PRIVATE KEY-----", "PuTTY-User-Key-File", "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}\Z")


class InvalidKey(ValueError):
    """A pasted key that cannot be used; ``str()`` is the message for the user."""


class PublicKey(NamedTuple):
    keytype: str
    blob: bytes
    comment: str

    @property
    def base64(self) -> str:
        return base64.b64encode(self.blob).decode("ascii")

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the blob, base64 without padding (``ssh-keygen -l``'s)."""
        return base64.b64encode(hashlib.sha256(self.blob).digest()).decode("ascii").rstrip("=")

    @property
    def openssh(self) -> str:
        """``type base64``: the key as an authorized_keys line carries it."""
        return f"{self.keytype} {self.base64}"


def parse_public_key(text: str) -> PublicKey:
    """The key in ``text`` (``type base64 [comment]``), or InvalidKey saying why not."""
    text = (text or "").strip()
    if not text:
        raise InvalidKey("Paste a public key (the contents of a .pub file, e.g. ~/.ssh/id_ed25519.pub).")
    if len(text) > MAX_KEY_LENGTH:
        raise InvalidKey(
            f"This is too long for a public key ({len(text)} characters; at most {MAX_KEY_LENGTH})."
        )
    if any(marker in text for marker in _PRIVATE_MARKERS):
        raise InvalidKey(
            "This is a private key. Paste the public key instead: the contents of the "
            "matching .pub file (e.g. ~/.ssh/id_ed25519.pub). Never share the private key."
        )
    if text.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        raise InvalidKey(
            "This key is in the RFC 4716 (SSH2) format. Convert it to OpenSSH's one-line "
            "format first: ssh-keygen -i -f KEYFILE"
        )
    if "\n" in text or "\r" in text:
        raise InvalidKey("Paste one key at a time, on one line.")
    if "\0" in text:
        raise InvalidKey("The key contains a NUL character.")
    parts = text.split(None, 2)
    if len(parts) < 2:
        raise InvalidKey(
            "A public key has a type and a base64 part, like 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA...'."
        )
    keytype, data, comment = (parts + [""])[:3]
    if keytype == "ssh-dss":
        raise InvalidKey("DSA keys are no longer accepted by OpenSSH. Make a new key: ssh-keygen -t ed25519")
    if keytype not in KEY_TYPES:
        raise InvalidKey(f"Unsupported key type {keytype[:40]!r}: use {SUPPORTED}.")
    if not _BASE64.match(data):
        raise InvalidKey("The base64 part of the key contains characters that cannot be in it.")
    try:
        blob = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKey("The base64 part of the key is cut short (it cannot be decoded).")
    strings = _split_strings(blob)
    if strings is None:
        raise InvalidKey("The base64 part of the key is cut short (a part of it is missing).")
    if not strings or strings[0] != keytype.encode():
        raise InvalidKey(
            f"The key says it is {keytype} but its base64 part is not (was it cut or mixed up?)."
        )
    if len(strings) != KEY_TYPES[keytype] + 1:
        raise InvalidKey(f"The base64 part of this {keytype} key is incomplete or has extra data.")
    _check_strength(keytype, strings)
    return PublicKey(keytype, blob, comment.strip())


def _split_strings(blob: bytes) -> list[bytes] | None:
    """RFC 4251 ``string``s: 4-byte big-endian length, then the bytes."""
    strings, offset = [], 0
    while offset < len(blob):
        if len(blob) - offset < 4:
            return None
        (length,) = struct.unpack_from(">I", blob, offset)
        offset += 4
        if length > len(blob) - offset:
            return None
        strings.append(blob[offset : offset + length])
        offset += length
    return strings


def _check_strength(keytype: str, strings: list[bytes]) -> None:
    if keytype == "ssh-rsa":
        modulus = int.from_bytes(strings[2], "big")
        bits = modulus.bit_length()
        if bits < MIN_RSA_BITS:
            raise InvalidKey(
                f"This RSA key has {bits} bits; at least {MIN_RSA_BITS} are needed. "
                "Make a new key: ssh-keygen -t ed25519"
            )
        if not modulus % 2:
            raise InvalidKey("This RSA key is not valid (its modulus is even).")
    elif keytype in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        if len(strings[1]) != 32:
            raise InvalidKey("This Ed25519 key is not valid (its key is not 32 bytes).")
    else:
        curve = _ECDSA_CURVES.get(keytype.replace("sk-", "").replace("@openssh.com", ""))
        if strings[1] != curve:
            raise InvalidKey(f"This ECDSA key names curve {strings[1][:20]!r}, not the one of {keytype}.")
