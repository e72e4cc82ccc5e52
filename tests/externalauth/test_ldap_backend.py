"""LDAP logins against a real slapd: the web form, git's Basic auth and the
API key, first-login creation, refusals, TLS, and abuse."""

import ldap
import pytest

from lindos.accounts import throttle
from lindos.accounts.models import User
from lindos.externalauth.errors import LoginUnavailable
from lindos.externalauth.ldap_backend import UNAVAILABLE, LindosLDAPBackend, search_filter, server_uri
from lindos.externalauth.models import AuthSettings, ExternalIdentity
from lindos.transport.auth import Credentials, user_for_credentials
from tests.accounts.conftest import text
from tests.externalauth.conftest import basic, login
from tests.slapd import PEOPLE, SUFFIX, free_port

WRONG = "Wrong username or password"


def logged_in(client) -> str | None:
    user = client.get("/_admin/my_account").wsgi_request.user
    return user.username if user.is_authenticated else None


def test_first_login_creates_the_account_from_the_directory(client, ldap_settings):
    response = login(client, "lena", "lena-secret")
    assert response.status_code == 302
    assert logged_in(client) == "lena"
    lena = User.objects.get(username="lena")
    assert (lena.first_name, lena.last_name, lena.email) == ("Lena", "Ldap", "lena@example.com")
    assert lena.is_active and not lena.has_usable_password() and not lena.is_superuser
    identity = ExternalIdentity.objects.get(user=lena)
    assert (identity.source, identity.extern_name) == ("ldap", f"uid=lena,{PEOPLE}")


def test_later_logins_refresh_the_names_and_keep_one_account(client, ldap_settings, slapd):
    assert login(client, "lena", "lena-secret").status_code == 302
    admin = ldap.initialize(f"ldap://127.0.0.1:{slapd.port}")
    admin.simple_bind_s(f"cn=admin,{SUFFIX}", "admin-secret")
    admin.modify_s(f"uid=lena,{PEOPLE}", [(ldap.MOD_REPLACE, "givenName", [b"Magdalena"])])
    try:
        client.logout()
        assert login(client, "LENA", "lena-secret").status_code == 302
    finally:
        admin.modify_s(f"uid=lena,{PEOPLE}", [(ldap.MOD_REPLACE, "givenName", [b"Lena"])])
    assert User.objects.filter(username__iexact="lena").count() == 1
    assert User.objects.get(username="lena").first_name == "Magdalena"


def test_wrong_password_and_unknown_user_are_refused_and_counted(client, ldap_settings):
    for username, password in (("lena", "wrong"), ("nobody", "whatever")):
        response = login(client, username, password)
        assert response.status_code == 200 and WRONG in text(response)
        assert logged_in(client) is None
    assert not User.objects.exists()
    # Nine more wrong guesses for lena: the tenth failure throttles her here.
    for _ in range(9):
        login(client, "lena", "wrong")
    response = login(client, "lena", "lena-secret")
    assert response.status_code == 429
    assert "Too many failed logins for this account from your address" in text(response)


def test_throttled_attempts_never_reach_the_directory(client, ldap_settings):
    for _ in range(10):
        login(client, "lena", "wrong")
    # The directory is now unreachable: an attempt that reached it would say so.
    ldap_settings(ldap_port=free_port())
    response = login(client, "lena", "lena-secret")
    assert response.status_code == 429 and UNAVAILABLE not in text(response)


def test_unreachable_server_says_so_and_internal_users_still_log_in(client, ldap_settings, make_user):
    ldap_settings(ldap_port=free_port())
    make_user("ivan", password="ivan-password")
    response = login(client, "lena", "lena-secret")
    assert response.status_code == 200
    assert UNAVAILABLE in text(response) and WRONG not in text(response)
    assert throttle.check("lena", "192.0.2.10", "web") is None
    # Nothing was checked, so nothing counts: more than ten tries are all answered.
    for _ in range(12):
        assert UNAVAILABLE in text(login(client, "lena", "lena-secret"))
    assert login(client, "ivan", "ivan-password").status_code == 302
    assert logged_in(client) == "ivan"


def test_a_server_list_is_tried_in_turn(client, ldap_settings):
    # Nothing listens on 127.0.0.2 at that port: the second host answers.
    ldap_settings(ldap_host="127.0.0.2, 127.0.0.1")
    assert login(client, "lena", "lena-secret").status_code == 302


def test_ldaps_with_the_servers_ca(client, ldap_settings, slapd):
    ldap_settings(
        ldap_tls_kind="LDAPS",
        ldap_port=slapd.ldaps_port,
        ldap_tls_reqcert="DEMAND",
        ldap_cacertdir=slapd.ca_file,
    )
    assert login(client, "lena", "lena-secret").status_code == 302


def test_start_tls_with_the_servers_ca(client, ldap_settings, slapd):
    ldap_settings(ldap_tls_kind="START_TLS", ldap_tls_reqcert="DEMAND", ldap_cacertdir=slapd.ca_file)
    assert login(client, "lena", "lena-secret").status_code == 302


def test_ldaps_refuses_a_certificate_it_does_not_trust(client, ldap_settings, slapd, tmp_path):
    import trustme

    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    ldap_settings(
        ldap_tls_kind="LDAPS",
        ldap_port=slapd.ldaps_port,
        ldap_tls_reqcert="DEMAND",
        ldap_cacertdir=str(other),
    )
    response = login(client, "lena", "lena-secret")
    assert UNAVAILABLE in text(response) and logged_in(client) is None


def test_dynamic_binding_binds_as_the_person(client, ldap_settings):
    ldap_settings(ldap_dn_user=f"uid=$login,{PEOPLE}", ldap_dn_pass="")
    assert WRONG in text(login(client, "lena", "wrong"))
    assert login(client, "lena", "lena-secret").status_code == 302


def test_a_refused_bind_account_is_unavailability_not_a_wrong_password(client, ldap_settings):
    ldap_settings(ldap_dn_pass="not-the-service-password")
    assert UNAVAILABLE in text(login(client, "lena", "lena-secret"))


def test_disabled_in_lindos_is_refused(client, ldap_settings):
    assert login(client, "lena", "lena-secret").status_code == 302
    client.logout()
    User.objects.filter(username="lena").update(is_active=False)
    response = login(client, "lena", "lena-secret")
    assert response.status_code == 200 and logged_in(client) is None
    assert (
        user_for_credentials(Credentials("lena", "lena-secret"), address="192.0.2.11", channel="git") is None
    )


def test_an_internal_account_of_the_same_name_is_never_taken_over(client, ldap_settings, make_user):
    """The directory's alice is refused; Lindos's alice keeps her password."""
    make_user("alice", password="internal-pw")
    assert WRONG in text(login(client, "alice", "alice-ldap-secret"))
    assert not ExternalIdentity.objects.exists()
    assert login(client, "alice", "internal-pw").status_code == 302


def test_an_ldap_account_never_logs_in_with_a_lindos_password(client, ldap_settings):
    assert login(client, "lena", "lena-secret").status_code == 302
    client.logout()
    lena = User.objects.get(username="lena")
    lena.set_password("set-in-lindos")  # e.g. through a reset mail
    lena.save()
    assert WRONG in text(login(client, "lena", "set-in-lindos"))


def test_missing_or_taken_addresses_get_a_placeholder(client, ldap_settings, make_user):
    make_user("bob")  # bob@example.com, which the directory also gives takenmail
    assert login(client, "nomail", "nomail-secret").status_code == 302
    client.logout()
    assert login(client, "takenmail", "takenmail-secret").status_code == 302
    assert User.objects.get(username="nomail").email == "nomail@ldap.invalid"
    assert User.objects.get(username="takenmail").email == "takenmail@ldap.invalid"


@pytest.mark.parametrize(
    "username",
    ["*", "lena)(uid=*", "le*", "lena\x00", "(uid=lena)", "lena,ou=people", "x" * 10_000, "", " "],
)
def test_odd_usernames_never_reach_the_directory(ldap_settings, username):
    """Filter metacharacters, NUL, huge names: refused before any search
    (the name must be one Lindos could hold), whatever the password."""
    for password in ("lena-secret", "*"):
        assert (
            user_for_credentials(Credentials(username, password), address="192.0.2.12", channel="git") is None
        )
    assert not User.objects.exists()


def test_the_filter_escapes_and_keeps_the_admins_part():
    config = AuthSettings(ldap_filter="objectClass=person", ldap_attr_login="uid")
    assert search_filter(config) == "(&(objectClass=person)(uid=%(user)s))"
    assert search_filter(AuthSettings(ldap_filter="(cn=50%)")) == "(&(cn=50%%)(uid=%(user)s))"
    assert search_filter(AuthSettings(ldap_filter="")) == "(&(uid=%(user)s))"


def test_server_uri_from_kallithea_settings():
    assert server_uri(AuthSettings(ldap_host="a.example, b.example", ldap_tls_kind="LDAPS")) == (
        "ldaps://a.example:636 ldaps://b.example:636"
    )
    assert (
        server_uri(AuthSettings(ldap_host="::1", ldap_tls_kind="PLAIN", ldap_port=3389))
        == "ldap://[::1]:3389"
    )


@pytest.mark.parametrize("dynamic", [False, True])
def test_an_empty_password_is_never_a_login(client, ldap_settings, dynamic):
    """An empty password would be an anonymous bind, which LDAP servers
    accept: it must never count as success."""
    if dynamic:
        ldap_settings(ldap_dn_user=f"uid=$login,{PEOPLE}", ldap_dn_pass="")
    assert user_for_credentials(Credentials("lena", ""), address="192.0.2.13", channel="git") is None
    assert (
        client.get("/x/info/refs?service=git-upload-pack", HTTP_AUTHORIZATION=basic("lena:")).status_code
        == 401
    )
    assert login(client, "lena", "").status_code == 200
    assert not User.objects.exists()


def test_git_basic_auth_creates_and_uses_the_account(ldap_settings):
    user = user_for_credentials(Credentials("lena", "lena-secret"), address="192.0.2.14", channel="git")
    assert user is not None and user.username == "lena"
    assert ExternalIdentity.objects.get(user=user).source == "ldap"
    assert user_for_credentials(Credentials("lena", "wrong"), address="192.0.2.14", channel="git") is None
    # The account's API key works as the password, as for anyone.
    assert (
        user_for_credentials(Credentials("lena", user.api_key), address="192.0.2.14", channel="git") == user
    )


def test_git_gets_503_when_the_directory_is_down(client, ldap_settings, make_repo, make_user):
    make_repo("secret", owner=make_user("owner"), private=True)
    ldap_settings(ldap_port=free_port())
    with pytest.raises(LoginUnavailable):
        user_for_credentials(Credentials("lena", "lena-secret"), address="192.0.2.15", channel="git")
    response = client.get(
        "/secret/info/refs?service=git-upload-pack", HTTP_AUTHORIZATION=basic("lena:lena-secret")
    )
    assert response.status_code == 503 and UNAVAILABLE in response.content.decode()
    # The owner's Lindos password does not depend on the directory.
    response = client.get(
        "/secret/info/refs?service=git-upload-pack", HTTP_AUTHORIZATION=basic("owner:secret-pw")
    )
    assert response.status_code == 200


def test_ldap_off_means_the_directory_is_not_asked(client, ldap_settings):
    ldap_settings(plugins="internal")
    assert WRONG in text(login(client, "lena", "lena-secret"))
    ldap_settings(ldap_enabled=False)
    assert WRONG in text(login(client, "lena", "lena-secret"))
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["lena-secret\x00", "é" * 5000, "*"])
def test_odd_passwords_are_wrong_passwords(ldap_settings, password):
    assert user_for_credentials(Credentials("lena", password), address="192.0.2.16", channel="git") is None
    # Text with no UTF-8 form (HTTP never decodes to it) is refused, not a crash.
    assert LindosLDAPBackend().authenticate(None, username="lena", password="\udcff") is None
    assert not User.objects.exists()
