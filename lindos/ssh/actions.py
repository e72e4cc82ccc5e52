"""Adding and deleting SSH keys; each change rewrites authorized_keys.

The database is the truth: ``ssh-serve`` checks that the key still exists
and that its user is active on every connection, so a deleted key or a
deactivated account stops working at once even if the file could not be
rewritten. The file is what lets sshd accept the key in the first place.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from lindos.ssh.authorized_keys import AuthorizedKeysError, write_authorized_keys
from lindos.ssh.keys import InvalidKey, PublicKey, parse_public_key
from lindos.ssh.models import SshKey

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 255
#: Keys per account: every key is a line sshd reads on each connection.
MAX_KEYS_PER_USER = 100


def check_new_key(user, text: str) -> PublicKey:
    """The parsed key if ``user`` may add it; InvalidKey with the reason if not.

    A key someone else already uses is refused without saying whose: the
    form must not tell who holds a given public key.
    """
    key = parse_public_key(text)
    if SshKey.objects.filter(user_id=user.pk).count() >= MAX_KEYS_PER_USER:
        raise InvalidKey(f"An account can have at most {MAX_KEYS_PER_USER} SSH keys; remove one first.")
    holder = SshKey.objects.filter(fingerprint=key.fingerprint).values_list("user_id", flat=True).first()
    if holder == user.pk:
        raise InvalidKey(f"This key (SHA256:{key.fingerprint}) is already on this account.")
    if holder is not None:
        raise InvalidKey(
            f"This key (SHA256:{key.fingerprint}) is already used by another account. "
            "Each key can belong to one account only: make a new one with ssh-keygen."
        )
    return key


def clean_description(description: str, key: PublicKey) -> str:
    """One printable line; the key's own comment when left empty (Kallithea's rule)."""
    text = " ".join("".join(c if c.isprintable() else " " for c in (description or "")).split())
    return (text or key.comment or key.keytype)[:MAX_DESCRIPTION]


def do_add_ssh_key(user, public_key: str, description: str = "") -> SshKey:
    """Add a key to ``user`` and rewrite authorized_keys. Raises InvalidKey."""
    key = check_new_key(user, public_key)
    try:
        with transaction.atomic():
            row = SshKey.objects.create(
                user=user,
                public_key=key.openssh,
                fingerprint=key.fingerprint,
                description=clean_description(description, key),
            )
    except IntegrityError:  # the same key added at the same moment elsewhere
        raise InvalidKey(f"This key (SHA256:{key.fingerprint}) is already used by an account.")
    log.info("SSH key SHA256:%s added for %s", key.fingerprint, user.username)
    return row


def do_delete_ssh_key(user, fingerprint: str) -> bool:
    """Delete ``user``'s key with that fingerprint; False if they have none such."""
    fingerprint = (fingerprint or "").strip().removeprefix("SHA256:")
    deleted, _ = SshKey.objects.filter(user=user, fingerprint=fingerprint).delete()
    if deleted:
        log.info("SSH key SHA256:%s of %s deleted", fingerprint, user.username)
    return bool(deleted)


def sync_authorized_keys() -> str | None:
    """Rewrite the file; None when done (or SSH is off), else the error to show."""
    try:
        write_authorized_keys(settings.LINDOS)
    except AuthorizedKeysError as exc:
        log.error("SSH keys: %s", exc)
        return f"The SSH key file could not be updated ({exc}); tell an administrator."
    return None


def on_user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A user activated or deactivated: their keys enter or leave the file.

    Saves that name their fields without ``is_active`` (a login's
    ``last_login``, a new API key) cannot change the file and are skipped.
    """
    if created or not settings.LINDOS.ssh_enabled:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    if SshKey.objects.filter(user_id=instance.pk).exists():
        transaction.on_commit(sync_authorized_keys, robust=True)
