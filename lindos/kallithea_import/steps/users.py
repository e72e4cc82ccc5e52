"""Users: names, addresses, flags, creation time, password hash, main API key.

Kallithea's ``default`` user stands for anonymous visitors: it is no account
here (its settings are read by ``site_settings`` and ``group_permissions``).
Extra addresses (``user_email_map``) have no place in Lindos yet: they are
counted as not imported.
"""

from __future__ import annotations

from django.db.models.functions import Lower

from lindos.accounts.models import User, new_api_key
from lindos.kallithea_import.context import ImportContext, aware, truthy
from lindos.kallithea_import.hashers import encoded_from_kallithea
from lindos.kallithea_import.steps.ids import pks_by
from lindos.kallithea_import.timestamps import kept_timestamps

KIND = "users"
DEFAULT_USERNAME = "default"


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("users", "user_id")
    ctx.progress.start(KIND, len(rows))
    existing = {
        u.lower(): (pk, (e or "").lower()) for pk, u, e in User.objects.values_list("pk", "username", "email")
    }
    emails = set(User.objects.annotate(e=Lower("email")).values_list("e", flat=True))
    keys = set(User.objects.values_list("api_key", flat=True))
    new, old_ids = [], []
    for row in rows:
        ctx.progress.advance()
        old_id, username = row["user_id"], row["username"]
        if username == DEFAULT_USERNAME:
            ctx.default_user_id = old_id
            continue
        if ctx.ids.has("user", old_id):
            ctx.summary.already[KIND] += 1
            continue
        email = (row["email"] or "").strip()
        if username.lower() in existing:
            pk, their_email = existing[username.lower()]
            if email and their_email == email.lower():
                # The same person, already here (e.g. made by hand before a --merge).
                ctx.ids.add("user", old_id, pk)
                ctx.summary.already[KIND] += 1
            else:
                ctx.summary.skip(KIND, username, "a different Lindos account has this username")
            continue
        if not email:
            ctx.summary.skip(KIND, username, "no email address (Lindos needs one)")
            continue
        if email.lower() in emails:
            ctx.summary.skip(KIND, username, f"email address {email} belongs to another account")
            continue
        if len(username) > 150:
            ctx.summary.skip(KIND, username, "username longer than 150 characters")
            continue
        password = encoded_from_kallithea(row["password"])
        if password is None:
            # LDAP accounts and hand-edited rows: no password to check here.
            password = "!" + new_api_key()
        api_key = row["api_key"] or ""
        if not api_key or api_key in keys or len(api_key) > 64:
            ctx.summary.skip(
                f"{KIND} API key", username, "main API key missing or in use: a new one was made"
            )
            api_key = new_api_key()
        keys.add(api_key)
        emails.add(email.lower())
        existing[username.lower()] = (None, email.lower())
        new.append(
            User(
                username=username,
                first_name=(row["firstname"] or "")[:150],
                last_name=(row["lastname"] or "")[:150],
                email=email,
                is_active=truthy(row["active"]),
                is_superuser=truthy(row["admin"]),
                is_staff=truthy(row["admin"]),
                date_joined=aware(row["created_on"]),
                last_login=aware(row["last_login"]),
                password=password,
                api_key=api_key,
            )
        )
        old_ids.append(old_id)
    with kept_timestamps(User):
        User.objects.bulk_create(new, batch_size=1000)
    # Ids read back by name: MySQL's bulk insert does not return them.
    by_name = pks_by(User, "username", [u.username for u in new])
    for user, old_id in zip(new, old_ids):
        ctx.ids.add("user", old_id, by_name[user.username])
    ctx.summary.imported[KIND] += len(new)
    extra = ctx.db.rows("user_email_map", "email_id")
    ctx.summary.leave("extra email addresses", len(extra), "Lindos has one address per account")
    ctx.progress.finish()
