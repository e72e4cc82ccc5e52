"""Authentication test helpers: a real slapd (tests/slapd.py) per test
process, and the settings that point Lindos at it."""

import base64

import django
import pytest

django.setup()

from lindos.externalauth.current import save_auth_settings  # noqa: E402
from lindos.externalauth.models import AuthSettings  # noqa: E402
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401
from tests.slapd import PEOPLE, SERVICE_DN, SERVICE_PASSWORD, Slapd  # noqa: E402


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    with Slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture
def ldap_settings(db, slapd):
    """``configure(**fields)`` stores LDAP settings for the test's slapd
    (plain LDAP, the service account); done once with no changes."""

    def configure(**changes):
        config = AuthSettings(
            plugins="internal,ldap",
            ldap_enabled=True,
            ldap_host="127.0.0.1",
            ldap_port=slapd.port,
            ldap_tls_kind="PLAIN",
            ldap_dn_user=SERVICE_DN,
            ldap_dn_pass=SERVICE_PASSWORD,
            ldap_base_dn=PEOPLE,
            ldap_filter="(objectClass=inetOrgPerson)",
        )
        for name, value in changes.items():
            setattr(config, name, value)
        return save_auth_settings(config)

    configure()
    return configure


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def login(client, username, password, address="192.0.2.10"):
    return client.post("/_admin/login", {"username": username, "password": password}, REMOTE_ADDR=address)
