"""Kallithea's names for the authentication settings and account sources,
so that a Kallithea database maps onto Lindos's one to one.

Kallithea kept one row per setting in its ``settings`` table
(``app_settings_name``, ``app_settings_value``): ``auth_plugins`` and
``auth_<plugin>_<name>``.  Each is a field of ``AuthSettings`` named without
the ``auth_`` prefix; the admin page's form fields carry Kallithea's names.
A user's ``extern_type`` / ``extern_name`` become an ``ExternalIdentity``
(``internal``: none).
"""

from __future__ import annotations

from lindos.externalauth.current import plugin_names
from lindos.externalauth.models import SOURCES, AuthSettings, ExternalIdentity

LDAP_SETTINGS = (
    "enabled",
    "host",
    "port",
    "tls_kind",
    "tls_reqcert",
    "cacertdir",
    "dn_user",
    "dn_pass",
    "base_dn",
    "filter",
    "search_scope",
    "attr_login",
    "attr_firstname",
    "attr_lastname",
    "attr_email",
)
CONTAINER_SETTINGS = (
    "enabled",
    "header",
    "fallback_header",
    "clean_username",
    "email_header",
    "firstname_header",
    "lastname_header",
)

#: Kallithea's setting name -> AuthSettings field.
FIELDS = {
    "auth_plugins": "plugins",
    **{f"auth_ldap_{name}": f"ldap_{name}" for name in LDAP_SETTINGS},
    **{f"auth_container_{name}": f"container_{name}" for name in CONTAINER_SETTINGS},
}

_TRUE = {"true", "1", "yes", "on"}


def settings_from_kallithea(rows: dict[str, str]) -> AuthSettings:
    """An (unsaved) ``AuthSettings`` from Kallithea's ``settings`` rows
    (name -> value as stored); rows of other plugins (crowd, pam) and
    settings it never stored keep Lindos's defaults."""
    config = AuthSettings()
    for kallithea_name, field in FIELDS.items():
        if kallithea_name not in rows or rows[kallithea_name] is None:
            continue
        value = rows[kallithea_name]
        model_field = AuthSettings._meta.get_field(field)
        if field == "plugins":
            value = ",".join(n for n in plugin_names(str(value)) if n in SOURCES)
        elif model_field.get_internal_type() == "BooleanField":
            value = str(value).strip().lower() in _TRUE
        elif field == "ldap_port":
            value = int(value) if str(value).strip().isdigit() else None
        else:
            value = str(value)
        setattr(config, field, value)
    return config


def identity_from_kallithea(
    user, extern_type: str | None, extern_name: str | None
) -> ExternalIdentity | None:
    """The (unsaved) link for a Kallithea user's ``extern_type`` /
    ``extern_name``; None for an internal user (or an unknown plugin's,
    who then logs in with a Lindos password only)."""
    source = (extern_type or "internal").strip()
    if source not in SOURCES or source == "internal":
        return None
    return ExternalIdentity(user=user, source=source, extern_name=extern_name or "")
