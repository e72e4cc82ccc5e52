"""Admin > Authentication at /_admin/auth, with Kallithea's field names."""

import pytest

from lindos.externalauth.current import current_auth_settings, is_active
from lindos.externalauth.models import AuthSettings
from tests.accounts.conftest import text

URL = "/_admin/auth"


def form_data(**changes):
    data = {
        "auth_plugins": "internal,ldap",
        "auth_ldap_enabled": "on",
        "auth_ldap_host": "ldap1.example.com, ldap2.example.com",
        "auth_ldap_port": "",
        "auth_ldap_tls_kind": "LDAPS",
        "auth_ldap_tls_reqcert": "DEMAND",
        "auth_ldap_cacertdir": "",
        "auth_ldap_dn_user": "cn=lindos,dc=example,dc=com",
        "auth_ldap_dn_pass": "bind-secret",
        "auth_ldap_base_dn": "ou=people,dc=example,dc=com",
        "auth_ldap_filter": "(objectClass=inetOrgPerson)",
        "auth_ldap_search_scope": "SUBTREE",
        "auth_ldap_attr_login": "uid",
        "auth_ldap_attr_firstname": "givenName",
        "auth_ldap_attr_lastname": "sn",
        "auth_ldap_attr_email": "mail",
        "auth_container_header": "REMOTE_USER",
        "auth_container_fallback_header": "HTTP_X_FORWARDED_USER",
        "auth_container_clean_username": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("root", admin=True))
    return client


def test_the_page_has_kallithea_field_names(admin_client):
    page = admin_client.get(URL).content.decode()
    for name in (
        "auth_plugins",
        "auth_ldap_host",
        "auth_ldap_tls_kind",
        "auth_ldap_dn_pass",
        "auth_container_header",
    ):
        assert f'name="{name}"' in page
    assert "Logging in now: Lindos passwords." in text(admin_client.get(URL))


def test_saving_stores_and_applies_at_once(admin_client):
    response = admin_client.post(URL, form_data())
    assert response.status_code == 302
    stored = AuthSettings.objects.get(pk=1)
    assert stored.ldap_host == "ldap1.example.com, ldap2.example.com"
    assert stored.ldap_dn_pass == "bind-secret" and stored.plugins == "internal,ldap"
    assert is_active(current_auth_settings(), "ldap")
    page = admin_client.get(URL).content.decode()
    assert "bind-secret" not in page  # the stored password is never shown
    # An empty password field keeps the stored one.
    assert admin_client.post(URL, form_data(auth_ldap_dn_pass="")).status_code == 302
    assert AuthSettings.objects.get(pk=1).ldap_dn_pass == "bind-secret"


def test_kallithea_module_paths_are_read(admin_client):
    plugins = "kallithea.lib.auth_modules.auth_internal,kallithea.lib.auth_modules.auth_container"
    assert admin_client.post(URL, form_data(auth_plugins=plugins)).status_code == 302
    assert AuthSettings.objects.get(pk=1).plugins == "internal,container"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("auth_plugins", "internal,crowd", "Not available in Lindos: crowd."),
        ("auth_plugins", "", "Enable at least one plugin."),
        ("auth_plugins", "ldap", "without internal you could no longer log in"),
        ("auth_ldap_host", "ldap.example.com/evil", "Not a host name or address"),
        ("auth_ldap_host", "", "Required to use LDAP."),
        ("auth_ldap_port", "70000", "A port number is 1-65535."),
        ("auth_ldap_filter", "(objectClass=person", "The parentheses of this filter do not match."),
        ("auth_ldap_attr_login", "uid)(x", "Not an LDAP attribute name"),
        ("auth_ldap_attr_login", "", "Required."),
        ("auth_ldap_tls_kind", "SSLv2", "Select a valid choice."),
        ("auth_container_header", "CONTENT_TYPE", "Not a header Lindos can read a name from"),
        ("auth_container_header", "<script>alert(1)</script>", "Not a header Lindos can read a name from"),
    ],
)
def test_bad_values_are_refused_with_a_reason(admin_client, field, value, message):
    response = admin_client.post(URL, form_data(**{field: value}))
    assert response.status_code == 400
    assert message in text(response)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not AuthSettings.objects.exists()


def test_huge_and_odd_input_is_a_form_error_not_a_crash(admin_client):
    response = admin_client.post(URL, form_data(auth_ldap_base_dn="x" * 100_000, auth_ldap_dn_user="a\x00b"))
    assert response.status_code == 400


def test_only_admins(client, make_user):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(make_user("mallory"))
    assert client.get(URL).status_code == 404
    assert (
        client.post(
            URL, form_data(auth_plugins="internal,container", auth_container_enabled="on")
        ).status_code
        == 404
    )
    assert not AuthSettings.objects.exists()
