"""LDAP and container login settings (Kallithea's ``auth_*`` settings) and
the link of each account to the source that logged it in (``extern_type``
and ``extern_name`` of ``users``), so those people log in as before.

The mapping itself is ``lindos.externalauth.kallithea``'s.  Settings of
login plugins Lindos does not have (crowd, pam) and accounts of those
plugins are listed: such people log in with a Lindos password only.
"""

from __future__ import annotations

from lindos.externalauth.current import save_auth_settings
from lindos.externalauth.kallithea import FIELDS, identity_from_kallithea, settings_from_kallithea
from lindos.externalauth.models import AuthSettings, ExternalIdentity
from lindos.kallithea_import.context import ImportContext

KIND = "external logins"
SETTINGS = "login settings"
#: The marker row in the id map: the settings were imported once.
MARKER = 1


def run(ctx: ImportContext) -> None:
    values = ctx.db.settings()
    rows = ctx.db.rows("users", "user_id")
    ctx.progress.start(KIND, 1 + len(rows))
    _settings(ctx, values)
    linked = set(ExternalIdentity.objects.values_list("user_id", flat=True))
    new, others = [], 0
    for row in rows:
        ctx.progress.advance()
        source = (row.get("extern_type") or "internal").strip()
        user = ctx.ids.get("user", row["user_id"])
        if source == "internal" or row["user_id"] == ctx.default_user_id or user is None:
            continue
        if ctx.ids.has("external_identity", row["user_id"]):
            ctx.summary.already[KIND] += 1
            continue
        identity = identity_from_kallithea(None, source, row.get("extern_name"))
        if identity is None:
            others += 1
            continue
        if user in linked:
            ctx.summary.skip(KIND, row["username"], "the Lindos account has an external login already")
            continue
        identity.user_id = user
        linked.add(user)
        new.append(identity)
        ctx.ids.add("external_identity", row["user_id"], user)
    ExternalIdentity.objects.bulk_create(new)
    ctx.summary.imported[KIND] += len(new)
    ctx.summary.leave(
        "accounts of other login plugins",
        others,
        "Lindos logs people in with its own passwords, LDAP or a front-end's header only: "
        "give them a password (lindos set-password) or a reset link",
    )
    ctx.progress.finish()


def _settings(ctx: ImportContext, values: dict) -> None:
    auth = {k: v for k, v in values.items() if k.startswith("auth_")}
    if ctx.ids.has("auth_settings", MARKER):
        ctx.summary.already[SETTINGS] += 1
    elif auth:
        if AuthSettings.objects.filter(pk=1).exists() and ctx.merge:
            # Set on Lindos's admin page before this --merge: Lindos's wins.
            ctx.summary.skip(SETTINGS, "auth_*", "Lindos has login settings of its own already")
        else:
            save_auth_settings(settings_from_kallithea(auth))
            ctx.ids.add("auth_settings", MARKER, 1)
            ctx.summary.imported[SETTINGS] += 1
    # auth_internal_enabled: Lindos's own passwords are on when "internal"
    # is in the plugin list, as Kallithea's internal plugin was.
    rest = sorted(k for k in auth if k not in FIELDS and k != "auth_internal_enabled")
    ctx.summary.leave("other login plugin settings", len(rest), "Lindos has no place for " + ", ".join(rest))
