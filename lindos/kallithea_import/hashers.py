"""Kallithea's password hashes, so imported passwords keep working.

Kallithea stored ``bcrypt.hashpw(password, gensalt(10))`` as it is
(``$2a$10$...`` or ``$2b$10$...``), and on old Windows installs an unsalted
``sha256(password).hexdigest()``.  The importer prefixes them with these
hashers' names (Django finds a hasher by the text before the first ``$``).
Both are listed after Django's default in ``PASSWORD_HASHERS``: a
successful login re-hashes the password with the default, so these hashes
disappear as users log in.
"""

import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

BCRYPT = "kallithea_bcrypt"
SHA256 = "kallithea_sha256"


def encoded_from_kallithea(hashed: str) -> str | None:
    """The Django form of a Kallithea ``users.password``, or None if it is
    neither form Kallithea checks (64 hex digits, or a bcrypt hash)."""
    hashed = (hashed or "").strip()
    if len(hashed) == 64 and all(c in "0123456789abcdefABCDEF" for c in hashed):
        return f"{SHA256}${hashed.lower()}"
    if hashed.startswith(("$2a$", "$2b$", "$2y$")) and len(hashed) == 60:
        return f"{BCRYPT}${hashed}"
    return None


class KallitheaBcryptPasswordHasher(BasePasswordHasher):
    algorithm = BCRYPT
    library = ("bcrypt", "bcrypt")

    def salt(self):
        bcrypt = self._load_library()
        return bcrypt.gensalt(10)

    def encode(self, password, salt):
        bcrypt = self._load_library()
        return f"{self.algorithm}${bcrypt.hashpw(password.encode(), salt).decode('ascii')}"

    def decode(self, encoded):
        algorithm, data = encoded.split("$", 1)
        assert algorithm == self.algorithm
        _, variant, rounds, rest = data.split("$", 3)
        return {"algorithm": algorithm, "work_factor": int(rounds), "salt": rest[:22], "checksum": rest[22:]}

    def verify(self, password, encoded):
        bcrypt = self._load_library()
        algorithm, data = encoded.split("$", 1)
        if algorithm != self.algorithm:
            return False
        try:
            return bcrypt.checkpw(password.encode(), data.encode("ascii"))
        except ValueError:  # not a bcrypt hash after all
            return False

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("work factor"): decoded["work_factor"],
            _("salt"): mask_hash(decoded["salt"]),
            _("checksum"): mask_hash(decoded["checksum"]),
        }

    def must_update(self, encoded):
        return True

    def harden_runtime(self, password, encoded):
        pass


class KallitheaSha256PasswordHasher(BasePasswordHasher):
    """Unsalted SHA-256: only ever verified, then replaced at that login."""

    algorithm = SHA256

    def salt(self):
        return ""

    def encode(self, password, salt):
        if salt != "":
            raise ValueError("salt must be empty")
        return f"{self.algorithm}${hashlib.sha256(password.encode()).hexdigest()}"

    def decode(self, encoded):
        algorithm, digest = encoded.split("$", 1)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": None}

    def verify(self, password, encoded):
        return constant_time_compare(encoded, self.encode(password, ""))

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {_("algorithm"): decoded["algorithm"], _("hash"): mask_hash(decoded["hash"])}

    def must_update(self, encoded):
        return True

    def harden_runtime(self, password, encoded):
        pass
