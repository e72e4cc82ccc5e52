"""Site settings: the title, the registration mode and the default
permission on new repositories (Kallithea keeps the last two as the
default user's global permissions; the others are ``global_permissions``'s,
the ``auth_*`` settings ``external_logins``'s).  Every other Kallithea
setting is named in the summary as not imported."""

from __future__ import annotations

from lindos.appsettings.models import AppSettings
from lindos.kallithea_import.context import ImportContext

KIND = "site settings"
#: The marker row in the id map: the settings were imported once.
MARKER = 1

REGISTRATION = {
    "hg.register.none": "disabled",
    "hg.register.manual_activate": "manual",
    "hg.register.auto_activate": "automatic",
}
#: Kallithea's settings that mean nothing on Lindos, not worth a line.
IGNORED = {"title", "realm"}


def default_user_permissions(ctx: ImportContext) -> list[str]:
    """Names of the default user's global permissions (``user_to_perm``)."""
    names = {r["permission_id"]: r["permission_name"] for r in ctx.db.rows("permissions", "permission_id")}
    return [
        names.get(r["permission_id"], "")
        for r in ctx.db.rows("user_to_perm", "user_to_perm_id")
        if r["user_id"] == ctx.default_user_id
    ]


def run(ctx: ImportContext) -> None:
    values = ctx.db.settings()
    ctx.progress.start(KIND, 1)
    perms = default_user_permissions(ctx)
    if ctx.ids.has("settings", MARKER):
        ctx.summary.already[KIND] += 1
    else:
        row, _ = AppSettings.objects.get_or_create(pk=1)
        if values.get("title", "").strip():
            row.title = values["title"].strip()[:100]
        for name in perms:
            if name in REGISTRATION:
                row.registration = REGISTRATION[name]
            elif name.startswith("repository."):
                row.default_repo_permission = name.split(".", 1)[1]
        row.save()
        ctx.ids.add("settings", MARKER, 1)
        ctx.summary.imported[KIND] += 1
        from lindos.appsettings.current import forget_app_settings

        forget_app_settings()
    _list_the_rest(ctx, values)
    ctx.progress.finish()


def _list_the_rest(ctx: ImportContext, values: dict) -> None:
    others = sorted(k for k in values if not k.startswith("auth_") and k not in IGNORED)
    ctx.summary.leave("other settings", len(others), "Lindos has no place for " + ", ".join(others))
