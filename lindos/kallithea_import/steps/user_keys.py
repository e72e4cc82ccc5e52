"""Users' extra API keys (with description and expiry) and SSH keys."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction

from lindos.accounts.models import User, UserApiKey
from lindos.kallithea_import.context import ImportContext, aware
from lindos.kallithea_import.steps.ids import pks_by
from lindos.kallithea_import.timestamps import kept_timestamps
from lindos.ssh.keys import InvalidKey, parse_public_key
from lindos.ssh.models import SshKey

KIND = "API and SSH keys"


def expiry(value) -> datetime.datetime | None:
    """Kallithea's ``expires``: seconds since the epoch, ``-1`` for never."""
    if value is None or float(value) < 0:
        return None
    return datetime.datetime.fromtimestamp(float(value), datetime.UTC)


def run(ctx: ImportContext) -> None:
    api_rows = ctx.db.rows("user_api_keys", "user_api_key_id")
    ssh_rows = ctx.db.rows("user_ssh_keys", "user_ssh_key_id")  # Kallithea 0.5 and later
    ctx.progress.start(KIND, len(api_rows) + len(ssh_rows))
    taken = set(UserApiKey.objects.values_list("api_key", flat=True)) | set(
        User.objects.values_list("api_key", flat=True)
    )
    new_api = []
    for row in api_rows:
        ctx.progress.advance()
        if ctx.ids.has("api_key", row["user_api_key_id"]):
            ctx.summary.already["API keys"] += 1
            continue
        user_id = ctx.ids.get("user", row["user_id"])
        label = f"{row['description']!r} of user #{row['user_id']}"
        if user_id is None:
            ctx.summary.skip("API keys", label, "its user was not imported")
            continue
        if row["api_key"] in taken or len(row["api_key"]) > 64:
            ctx.summary.skip("API keys", label, "the key is already in use in Lindos")
            continue
        taken.add(row["api_key"])
        new_api.append(
            (
                row["user_api_key_id"],
                UserApiKey(
                    user_id=user_id,
                    api_key=row["api_key"],
                    description=(row["description"] or "")[:255],
                    expires=expiry(row["expires"]),
                    created_at=aware(row["created_on"]),
                ),
            )
        )
    fingerprints = set(SshKey.objects.values_list("fingerprint", flat=True))
    new_ssh = []
    for row in ssh_rows:
        ctx.progress.advance()
        if ctx.ids.has("ssh_key", row["user_ssh_key_id"]):
            ctx.summary.already["SSH keys"] += 1
            continue
        user_id = ctx.ids.get("user", row["user_id"])
        label = f"{row['fingerprint']} of user #{row['user_id']}"
        if user_id is None:
            ctx.summary.skip("SSH keys", label, "its user was not imported")
            continue
        try:
            key = parse_public_key(row["public_key"])
        except InvalidKey as exc:
            ctx.summary.skip("SSH keys", label, str(exc))
            continue
        if key.fingerprint in fingerprints:
            ctx.summary.skip("SSH keys", label, "the key belongs to another Lindos account")
            continue
        fingerprints.add(key.fingerprint)
        new_ssh.append(
            (
                row["user_ssh_key_id"],
                SshKey(
                    user_id=user_id,
                    public_key=key.openssh,
                    description=(row["description"] or "")[:255],
                    fingerprint=key.fingerprint,
                    created_on=aware(row["created_on"]),
                    last_seen=aware(row["last_seen"]),
                ),
            )
        )
    with kept_timestamps(UserApiKey, SshKey):
        UserApiKey.objects.bulk_create([k for _, k in new_api], batch_size=1000)
        SshKey.objects.bulk_create([k for _, k in new_ssh], batch_size=1000)
    api_ids = pks_by(UserApiKey, "api_key", [k.api_key for _, k in new_api])
    for old, key in new_api:
        ctx.ids.add("api_key", old, api_ids[key.api_key])
    ssh_ids = pks_by(SshKey, "fingerprint", [k.fingerprint for _, k in new_ssh])
    for old, key in new_ssh:
        ctx.ids.add("ssh_key", old, ssh_ids[key.fingerprint])
    ctx.summary.imported["API keys"] += len(new_api)
    ctx.summary.imported["SSH keys"] += len(new_ssh)
    if new_ssh and settings.LINDOS.ssh_enabled:
        from lindos.ssh.actions import sync_authorized_keys

        transaction.on_commit(sync_authorized_keys, robust=True)
    ctx.progress.finish()
