"""Kallithea's authentication settings and users' sources, mapped one to one."""

from lindos.externalauth.current import is_active
from lindos.externalauth.kallithea import FIELDS, identity_from_kallithea, settings_from_kallithea
from lindos.externalauth.models import AuthSettings

KALLITHEA_ROWS = {
    "auth_plugins": "kallithea.lib.auth_modules.auth_internal,kallithea.lib.auth_modules.auth_ldap,"
    "kallithea.lib.auth_modules.auth_crowd",
    "auth_internal_enabled": "True",
    "auth_ldap_enabled": "True",
    "auth_ldap_host": "ldap.example.com",
    "auth_ldap_port": "389",
    "auth_ldap_tls_kind": "START_TLS",
    "auth_ldap_tls_reqcert": "DEMAND",
    "auth_ldap_cacertdir": "/etc/ssl/certs",
    "auth_ldap_dn_user": "cn=kallithea,dc=example,dc=com",
    "auth_ldap_dn_pass": "secret",
    "auth_ldap_base_dn": "ou=people,dc=example,dc=com",
    "auth_ldap_filter": "(objectClass=person)",
    "auth_ldap_search_scope": "ONELEVEL",
    "auth_ldap_attr_login": "sAMAccountName",
    "auth_ldap_attr_firstname": "givenName",
    "auth_ldap_attr_lastname": "sn",
    "auth_ldap_attr_email": "mail",
    "auth_container_enabled": "False",
    "auth_container_header": "REMOTE_USER",
    "auth_container_fallback_header": "HTTP_X_FORWARDED_USER",
    "auth_container_clean_username": "True",
    "auth_crowd_host": "crowd.example.com",
}


def test_every_setting_maps_to_a_field():
    for field in FIELDS.values():
        AuthSettings._meta.get_field(field)


def test_a_kallithea_database_maps_one_to_one():
    config = settings_from_kallithea(KALLITHEA_ROWS)
    assert config.plugins == "internal,ldap"  # crowd is not available in Lindos
    assert (config.ldap_host, config.ldap_port, config.ldap_tls_kind) == (
        "ldap.example.com",
        389,
        "START_TLS",
    )
    assert (config.ldap_search_scope, config.ldap_attr_login) == ("ONELEVEL", "sAMAccountName")
    assert config.ldap_dn_pass == "secret" and config.ldap_cacertdir == "/etc/ssl/certs"
    assert config.container_enabled is False and config.container_clean_username is True
    assert is_active(config, "ldap") and is_active(config, "internal") and not is_active(config, "container")


def test_missing_and_empty_values_keep_defaults():
    config = settings_from_kallithea(
        {"auth_ldap_port": "", "auth_plugins": "kallithea.lib.auth_modules.auth_internal"}
    )
    assert config.ldap_port is None and config.ldap_attr_login == "uid" and config.plugins == "internal"


def test_users_sources(db):
    from lindos.accounts.models import User

    user = User(username="lena")
    assert identity_from_kallithea(user, "internal", "5") is None
    assert identity_from_kallithea(user, None, None) is None
    link = identity_from_kallithea(user, "ldap", "uid=lena,ou=people,dc=example,dc=com")
    assert (link.source, link.extern_name) == ("ldap", "uid=lena,ou=people,dc=example,dc=com")
    assert identity_from_kallithea(user, "container", "lena").source == "container"
    assert identity_from_kallithea(user, "pam", "lena") is None
