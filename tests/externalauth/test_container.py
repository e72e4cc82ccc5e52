"""Container logins: a user named by a trusted front-end, and every way a
client could try to name one itself."""

import dataclasses

import pytest

from lindos.accounts.models import User
from lindos.externalauth.container import PEER_KEY, variable_name, vouched_username
from lindos.externalauth.current import save_auth_settings
from lindos.externalauth.models import AuthSettings, ExternalIdentity
from tests.externalauth.conftest import basic
from tests.gitclient import git_client

PROXY = "10.0.0.5"


@pytest.fixture
def container(db, settings):
    """Container logins on, ``[server:main] trusted_proxy = PROXY``."""
    settings.LINDOS = dataclasses.replace(settings.LINDOS, server_proxy={"trusted_proxy": PROXY})

    def configure(**changes):
        config = AuthSettings(plugins="internal,container", container_enabled=True)
        for name, value in changes.items():
            setattr(config, name, value)
        return save_auth_settings(config)

    configure()
    return configure


def who(client, **meta) -> str | None:
    user = client.get("/_admin/my_account", **meta).wsgi_request.user
    return user.username if user.is_authenticated else None


def test_the_front_end_names_the_user_who_is_created_on_first_sight(client, container):
    meta = {
        "REMOTE_ADDR": PROXY,
        "HTTP_X_FORWARDED_USER": "carol",
        "HTTP_X_FORWARDED_EMAIL": "carol@example.com",
    }
    container(container_email_header="HTTP_X_FORWARDED_EMAIL")
    assert who(client, **meta) == "carol"
    carol = User.objects.get(username="carol")
    assert carol.email == "carol@example.com" and not carol.has_usable_password()
    assert ExternalIdentity.objects.get(user=carol).source == "container"
    # No session is kept: without the header, the next request is anonymous.
    assert who(client, REMOTE_ADDR=PROXY) is None
    assert who(client, **meta) == "carol" and User.objects.filter(username="carol").count() == 1


def test_a_client_sending_the_header_itself_is_not_believed(client, container):
    for address in ("198.51.100.7", "127.0.0.1", "::1"):
        assert who(client, REMOTE_ADDR=address, HTTP_X_FORWARDED_USER="carol") is None
    assert not User.objects.exists()


def test_the_peer_counts_not_the_forwarded_address(client, container):
    """Behind waitress's proxy handling REMOTE_ADDR is the forwarded client:
    the connection's own address decides."""
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol", **{PEER_KEY: "198.51.100.7"}) is None
    assert (
        who(client, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_USER="carol", **{PEER_KEY: PROXY}) == "carol"
    )


def test_a_wildcard_or_missing_trusted_proxy_trusts_nobody(client, container, settings):
    for server_proxy in ({"trusted_proxy": "*"}, {}):
        settings.LINDOS = dataclasses.replace(settings.LINDOS, server_proxy=server_proxy)
        assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol") is None


def test_remote_user_comes_from_the_server_not_a_header(client, container):
    """REMOTE_USER is the WSGI server's (mod_wsgi sets it after Apache
    authenticated); a client's ``Remote-User:`` header is HTTP_REMOTE_USER."""
    assert who(client, REMOTE_ADDR="198.51.100.7", REMOTE_USER="dave") == "dave"
    assert who(client, REMOTE_ADDR="198.51.100.7", HTTP_REMOTE_USER="erin") is None
    assert not User.objects.filter(username="erin").exists()


@pytest.mark.parametrize(
    "sent, clean, expected",
    [
        ("carol@EXAMPLE.COM", True, "carol"),
        ("EXAMPLE\\carol", True, "carol"),
        ("carol@EXAMPLE.COM", False, None),  # not a username Lindos can hold
        ("*", True, None),
        ("carol\nSet-Cookie: x", True, None),
        ("<script>", True, None),
        ("x" * 5000, True, None),
        ("admin_", True, None),  # reserved
    ],
)
def test_names_are_cleaned_and_checked(client, container, sent, clean, expected):
    container(container_clean_username=clean)
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER=sent) == expected


def test_an_internal_account_is_never_taken_over(client, container, make_user):
    make_user("root", admin=True)
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="root") is None
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="ROOT") is None
    assert not ExternalIdentity.objects.exists()


def test_disabled_in_lindos_is_refused(client, container):
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol") == "carol"
    User.objects.filter(username="carol").update(is_active=False)
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol") is None


def test_off_means_the_header_is_ignored(client, container):
    container(container_enabled=False)
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol") is None
    container(plugins="internal")
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol") is None


def test_the_fallback_header_is_read_when_the_first_is_empty(client, container):
    container(container_header="REMOTE_USER", container_fallback_header="X-Auth-User")
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_AUTH_USER="frank") == "frank"
    assert who(client, REMOTE_ADDR=PROXY, REMOTE_USER="gina", HTTP_X_AUTH_USER="frank") == "gina"


@pytest.mark.parametrize(
    "setting, expected",
    [
        ("REMOTE_USER", "REMOTE_USER"),
        ("HTTP_X_FORWARDED_USER", "HTTP_X_FORWARDED_USER"),
        ("X-Forwarded-User", "HTTP_X_FORWARDED_USER"),
        ("remote_user", "HTTP_REMOTE_USER"),
        ("CONTENT_TYPE", None),
        ("QUERY_STRING", None),
        ("SERVER_NAME", None),
        ("", None),
        ("X Forwarded", None),
    ],
)
def test_variable_names(setting, expected):
    assert variable_name(setting) == expected


def test_vouched_username_needs_the_plugin(db):
    assert vouched_username({"REMOTE_USER": "dave"}, AuthSettings()) is None


def test_git_over_http_takes_the_front_ends_user(client, container, make_repo):
    assert who(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol") == "carol"
    make_repo("secret", owner=User.objects.get(username="carol"), private=True)
    url = "/secret/info/refs?service=git-upload-pack"
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="carol").status_code == 200
    assert client.get(url, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_USER="carol").status_code == 401
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_USER="mallory").status_code == 404


def test_a_real_git_clone_through_a_trusted_front_end(
    container, make_repo, tmp_path, transactional_db, repo_root
):
    """git sends the header the front-end would add; the server believes it
    only while 127.0.0.1 is the trusted proxy."""
    from waitress.server import create_server

    from lindos.webserver.waitress_server import with_peer
    from tests.threaded_server import threaded_server

    container()
    owner = User.objects.create(username="carol", email="carol@example.com")
    ExternalIdentity.objects.create(user=owner, source="container", extern_name="carol")
    make_repo("secret", owner=owner, private=True)
    git = git_client(tmp_path / "home", "Tess Ter", "tess@example.com")

    def make_server(app):
        server = create_server(app, host="127.0.0.1", port=0, threads=1)
        server.channel_class = with_peer(server.channel_class)
        return server

    from django.conf import settings

    with threaded_server(make_server) as server:
        url = f"http://127.0.0.1:{server.effective_port}/secret"
        header = "http.extraHeader=X-Forwarded-User: carol"
        settings.LINDOS = dataclasses.replace(settings.LINDOS, server_proxy={"trusted_proxy": "127.0.0.1"})
        git("-c", header, "clone", url, str(tmp_path / "ok"))
        assert (tmp_path / "ok" / ".git").is_dir()
        settings.LINDOS = dataclasses.replace(settings.LINDOS, server_proxy={"trusted_proxy": PROXY})
        refused = git("-c", header, "clone", url, str(tmp_path / "no"), check=False)
        assert refused.returncode != 0 and not (tmp_path / "no").exists()


def test_basic_auth_still_works_beside_the_front_end(client, container, make_repo, make_user):
    owner = make_user("owner", password="owner-pw")
    make_repo("secret", owner=owner, private=True)
    url = "/secret/info/refs?service=git-upload-pack"
    assert client.get(url, HTTP_AUTHORIZATION=basic("owner:owner-pw")).status_code == 200
