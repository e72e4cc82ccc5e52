from lindos.accounts.models import User
from lindos.externalauth.kallithea import settings_from_kallithea
from lindos.externalauth.models import AuthSettings, ExternalIdentity
from lindos.kallithea_import.runner import do_import
from tests.externalauth.conftest import slapd  # noqa: F401
from tests.kallithea_import.test_runner import alter
from tests.slapd import PEOPLE


def test_the_ldap_settings_come_across(imported, kallithea_rows):
    rows = {
        r["app_settings_name"]: r["app_settings_value"]
        for r in kallithea_rows("SELECT app_settings_name, app_settings_value FROM settings")
    }
    assert rows["auth_ldap_host"] == "ldap.example.com"
    config = AuthSettings.objects.get(pk=1)
    expected = settings_from_kallithea(rows)
    fields = [f.name for f in AuthSettings._meta.concrete_fields if f.name != "id"]
    assert {f: getattr(config, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert (config.plugins, config.ldap_enabled, config.ldap_port) == ("internal,ldap", True, 389)
    summary, _ = imported
    assert summary.imported["login settings"] == 1
    assert not any("LDAP" in n[0] or "login plugin" in n[0] for n in summary.not_imported)


def test_an_ldap_account_logs_in_through_ldap_again(
    sqlite_ini,
    sqlite_fixture,
    repo_root,
    transactional_db,
    slapd,
    client,  # noqa: F811
):
    alter(
        sqlite_fixture,
        f"UPDATE users SET extern_type = 'ldap', extern_name = 'uid=alice,{PEOPLE}' WHERE username = 'alice'",
        "UPDATE users SET extern_type = 'container', extern_name = 'erin' WHERE username = 'erin'",
        "UPDATE users SET extern_type = 'crowd', extern_name = 'carol' WHERE username = 'carol'",
        "UPDATE settings SET app_settings_value = '127.0.0.1' WHERE app_settings_name = 'auth_ldap_host'",
        f"UPDATE settings SET app_settings_value = '{slapd.port}' WHERE app_settings_name = 'auth_ldap_port'",
        "UPDATE settings SET app_settings_value = 'cn=lindos,ou=services,dc=example,dc=com' "
        "WHERE app_settings_name = 'auth_ldap_dn_user'",
        "UPDATE settings SET app_settings_value = 'service-secret' WHERE app_settings_name = 'auth_ldap_dn_pass'",
        "UPDATE settings SET app_settings_value = '(objectClass=inetOrgPerson)' "
        "WHERE app_settings_name = 'auth_ldap_filter'",
    )
    summary, _ = do_import(sqlite_ini, repos=str(repo_root))
    links = sorted(ExternalIdentity.objects.values_list("user__username", "source", "extern_name"))
    assert links == [("alice", "ldap", f"uid=alice,{PEOPLE}"), ("erin", "container", "erin")]
    assert ("accounts of other login plugins", 1) in [n[:2] for n in summary.not_imported]
    alice = User.objects.get(username="alice")
    # The directory's password logs the imported account in (no new one is made)...
    response = client.post("/_admin/login", {"username": "alice", "password": "alice-ldap-secret"})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == alice.pk
    assert User.objects.filter(username__iexact="alice").count() == 1
    client.logout()
    # ... and her Kallithea password, which Kallithea never checked either, does not.
    client.post("/_admin/login", {"username": "alice", "password": "alice-pass-1"})
    assert "_auth_user_id" not in client.session
    again, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    assert ExternalIdentity.objects.count() == 2 and again.already["external logins"] == 2


def test_merge_keeps_login_settings_made_in_lindos(sqlite_ini, repo_root, transactional_db, make_user):
    from lindos.externalauth.current import save_auth_settings

    make_user("here-before")
    save_auth_settings(AuthSettings(plugins="internal,container", container_enabled=True))
    summary, _ = do_import(sqlite_ini, merge=True, repos=str(repo_root))
    config = AuthSettings.objects.get(pk=1)
    assert (config.plugins, config.ldap_host) == ("internal,container", "")
    assert ("login settings", "auth_*", "Lindos has login settings of its own already") in summary.skipped
