"""LDAP logins, through django-auth-ldap.

Why django-auth-ldap: it is the maintained Django backend for python-ldap
(the OpenLDAP client library, so LDAPS, StartTLS and the system's CA
handling are libldap's), it escapes the username in the search filter, never
binds with an empty password, and leaves account creation to a hook.  What
Lindos adds is Kallithea's settings, read from the database at each attempt
(``AuthSettings``), and its account rules (``identities``).

One attempt, for a username Lindos could hold (checked first, so nothing
else reaches the directory) that is not an internal or disabled account
(refused without asking the directory): bind with the service account
``dn_user`` / ``dn_pass`` (Kallithea's "dynamic binding": a ``dn_user``
containing ``$login`` and no ``dn_pass`` binds as the person, with their
password), search ``base_dn`` for ``(&FILTER(ATTR_LOGIN=username))``, bind
as the one entry found with the password, and create or refresh the account
from its attributes.  A server that cannot be reached (or, with
``tls_reqcert = DEMAND``, whose certificate is not trusted) raises
``LoginUnavailable``: nothing was checked, and internal accounts never
depend on it.
"""

from __future__ import annotations

import contextvars
import logging
import os

from lindos.externalauth.current import current_auth_settings, is_active
from lindos.externalauth.errors import LoginUnavailable
from lindos.externalauth.identities import (
    do_sync_external_user,
    find_user,
    source_of,
    usable_username,
)

try:
    import ldap
    import ldap.dn
    from django_auth_ldap.backend import LDAPBackend, ldap_error
    from django_auth_ldap.config import LDAPSearch, LDAPSettings
except ImportError:  # the optional "ldap" extra is not installed
    ldap = None
    LDAPBackend = object

log = logging.getLogger(__name__)

UNAVAILABLE = "The login server (LDAP) cannot be reached just now. Try again later, or ask an administrator."
NOT_INSTALLED = "LDAP logins are enabled but python-ldap is not installed (pip install 'lindos[ldap]')"

# Seconds: to connect, and for each operation (Kallithea's values).
NETWORK_TIMEOUT = 10
OPERATION_TIMEOUT = 20

# The LDAP errors django-auth-ldap reported during this attempt (it logs
# and swallows them; its ldap_error signal hands them over).
_errors: contextvars.ContextVar[list | None] = contextvars.ContextVar("lindos_ldap_errors", default=None)


def _record_error(sender, context=None, exception=None, **kwargs):
    errors = _errors.get()
    if errors is not None:
        errors.append(exception)


def listen_for_ldap_errors() -> None:
    if ldap is not None:
        ldap_error.connect(_record_error, dispatch_uid="lindos-ldap-errors")


def server_uri(config) -> str:
    """Kallithea's comma-separated hosts as libldap's list of URIs, tried in
    turn: ``ldaps://HOST:636`` for LDAPS, ``ldap://HOST:389`` otherwise."""
    scheme = "ldaps" if config.ldap_tls_kind == "LDAPS" else "ldap"
    port = config.ldap_port or (636 if config.ldap_tls_kind == "LDAPS" else 389)
    hosts = [h.strip() for h in config.ldap_host.split(",") if h.strip()]
    return " ".join(f"{scheme}://{f'[{h}]' if ':' in h else h}:{port}" for h in hosts)


def search_filter(config) -> str:
    """Kallithea's ``(&FILTER(ATTR=user))``; the admin's filter may come
    with or without its parentheses.  ``%(user)s`` is filled in, escaped, by
    django-auth-ldap, so a literal ``%`` of the filter is doubled."""
    extra = config.ldap_filter.strip()
    if extra and not extra.startswith("("):
        extra = f"({extra})"
    return f"(&{extra.replace('%', '%%')}({config.ldap_attr_login}=%(user)s))"


def connection_options(config) -> dict:
    options = {
        ldap.OPT_REFERRALS: 0,
        ldap.OPT_NETWORK_TIMEOUT: NETWORK_TIMEOUT,
        ldap.OPT_TIMEOUT: OPERATION_TIMEOUT,
    }
    if config.ldap_tls_kind != "PLAIN":
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = getattr(ldap, f"OPT_X_TLS_{config.ldap_tls_reqcert}")
        ca = config.ldap_cacertdir.strip()
        if ca:
            # Kallithea's "cacertdir"; a single PEM file is taken as well.
            options[ldap.OPT_X_TLS_CACERTFILE if os.path.isfile(ca) else ldap.OPT_X_TLS_CACERTDIR] = ca
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above
    return options


def build_settings(config, username: str, password: str) -> LDAPSettings:
    """django-auth-ldap's settings for one attempt, from ``AuthSettings``."""
    settings = LDAPSettings(prefix="LINDOS_NO_SUCH_SETTING_", defaults={})
    settings.SERVER_URI = server_uri(config)
    settings.START_TLS = config.ldap_tls_kind == "START_TLS"
    settings.CONNECTION_OPTIONS = connection_options(config)
    bind_dn, bind_password = config.ldap_dn_user.strip(), config.ldap_dn_pass
    if bind_dn and not bind_password and "$login" in bind_dn:
        bind_dn, bind_password = bind_dn.replace("$login", ldap.dn.escape_dn_chars(username)), password
    settings.BIND_DN, settings.BIND_PASSWORD = bind_dn, bind_password
    attributes = [
        a
        for a in (
            config.ldap_attr_login,
            config.ldap_attr_firstname,
            config.ldap_attr_lastname,
            config.ldap_attr_email,
        )
        if a
    ]
    settings.USER_SEARCH = LDAPSearch(
        config.ldap_base_dn,
        getattr(ldap, f"SCOPE_{config.ldap_search_scope}"),
        search_filter(config),
        attrlist=attributes,
    )
    settings.USER_ATTRLIST = attributes
    settings.USER_ATTR_MAP = {}
    settings.ALWAYS_UPDATE_USER = False  # get_or_build_user refreshes the account itself
    settings.PERMIT_EMPTY_PASSWORD = False  # an empty password is an anonymous bind
    settings.CACHE_TIMEOUT = 0
    return settings


def _first(attrs, name: str) -> str:
    if not name:
        return ""
    for key, values in (attrs or {}).items():
        if key.lower() == name.lower() and values:
            value = values[0]
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return ""


def _encodable(password: str) -> bool:
    """python-ldap sends UTF-8 and raises on what has none (a lone
    surrogate), which would be a 500 rather than a wrong password."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class LindosLDAPBackend(LDAPBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        config = current_auth_settings()
        if not is_active(config, "ldap") or not username or not password:
            return None
        username = username.strip()
        if not usable_username(username) or not _encodable(password):
            return None
        existing = find_user(username)
        if existing is not None and (source_of(existing) != "ldap" or not existing.is_active):
            return None
        if ldap is None:
            log.error(NOT_INSTALLED)
            raise LoginUnavailable(UNAVAILABLE)
        self.settings = build_settings(config, username, password)
        self._config = config
        errors: list = []
        token = _errors.set(errors)
        try:
            user = super().authenticate(request, username=username, password=password)
        finally:
            _errors.reset(token)
        if user is None and errors:
            dynamic = "$login" in config.ldap_dn_user and not config.ldap_dn_pass
            if dynamic and all(isinstance(e, ldap.INVALID_CREDENTIALS) for e in errors):
                return None  # the bind as the person failed: a wrong password
            log.error("LDAP login of %r: the directory did not answer as expected: %r", username, errors[-1])
            raise LoginUnavailable(UNAVAILABLE)
        return user

    def get_or_build_user(self, username, ldap_user):
        """The account, already saved and linked (``identities``); the
        directory's own spelling of the name is kept when it only differs
        in case from what was typed."""
        config = self._config
        attrs = ldap_user.attrs
        spelled = _first(attrs, config.ldap_attr_login)
        if spelled.lower() == username.lower() and usable_username(spelled):
            username = spelled
        user = do_sync_external_user(
            "ldap",
            username,
            ldap_user.dn or "",
            first_name=_first(attrs, config.ldap_attr_firstname),
            last_name=_first(attrs, config.ldap_attr_lastname),
            email=_first(attrs, config.ldap_attr_email),
        )
        if user is None:
            raise ldap_user.AuthenticationFailed("refused by Lindos's account rules")
        return user, False

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
