"""The body-size rule: which requests are pushes, which credentials lift
the limit, and the middleware that applies it inside Django."""

import base64

import pytest

from lindos.transport.auth import Credentials, recently_proven, user_for_credentials
from lindos.transport.body_limit import body_limit, is_push


def basic_header(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


@pytest.mark.parametrize(
    "method, path, query, push",
    [
        ("POST", "/project/git-receive-pack", "", True),
        ("POST", "/group/sub/project.git/git-receive-pack", "", True),
        ("post", "/project/git-receive-pack", "", True),
        ("GET", "/project/git-receive-pack", "", False),
        ("POST", "/project/git-upload-pack", "", False),  # a fetch
        ("POST", "/project/info/refs", "service=git-receive-pack", False),
        ("POST", "/project", "cmd=unbundle", True),  # hg push
        ("POST", "/group/project/", "cmd=unbundle", True),
        ("POST", "/project", "cmd=getbundle", False),
        ("GET", "/project", "cmd=unbundle", False),
        ("POST", "/project/files/tip/git-receive-pack", "", False),  # a file in the browser
        ("POST", "/project/summary", "cmd=unbundle", False),
        ("POST", "/_admin/login", "cmd=unbundle", False),
        ("POST", "/_admin/git-receive-pack", "", False),
        ("POST", "/git-receive-pack", "", False),
        ("POST", "/project", "cmd=unbundle&cmd=x", True),
        ("POST", "/project", "cmd=%ff", False),
        ("POST", "/pro\x00ject/git-receive-pack", "", False),
    ],
)
def test_is_push(method, path, query, push):
    assert is_push(method, path, query) is push


def test_only_proven_credentials_on_a_push_get_the_big_limit(db, make_user):
    user = make_user("dora", password="dora-pw")
    right, wrong = basic_header("dora", "dora-pw"), basic_header("dora", "nope")
    limit = lambda path, auth: body_limit("POST", path, "", auth, small=1, big=2)  # noqa: E731
    assert limit("/p/git-receive-pack", right) == 1  # not proven yet
    assert user_for_credentials(Credentials("dora", "nope"), address="192.0.2.1", channel="git") is None
    assert limit("/p/git-receive-pack", wrong) == 1
    assert user_for_credentials(Credentials("Dora", "dora-pw"), address="192.0.2.1", channel="git") == user
    assert limit("/p/git-receive-pack", right) == 2  # usernames are case-insensitive
    assert limit("/p/git-upload-pack", right) == 1
    assert limit("/p/git-receive-pack", None) == 1
    assert limit("/p/git-receive-pack", "Basic !!!") == 1
    # the API key proves the user too
    assert not recently_proven(Credentials("dora", user.api_key))
    user_for_credentials(Credentials("dora", user.api_key), address="192.0.2.1", channel="git")
    assert recently_proven(Credentials("dora", user.api_key))


def test_proof_expires(db, make_user, monkeypatch):
    import time

    from lindos.transport import auth

    make_user("ed", password="ed-pw")
    user_for_credentials(Credentials("ed", "ed-pw"), address="192.0.2.1", channel="git")
    assert recently_proven(Credentials("ed", "ed-pw"))
    later = auth.VERIFIED_SECONDS + 1
    now, wall = time.monotonic(), time.time()
    monkeypatch.setattr(time, "monotonic", lambda: now + later)
    monkeypatch.setattr(time, "time", lambda: wall + later)  # the cache's clock
    assert not recently_proven(Credentials("ed", "ed-pw"))


def test_proof_is_shared_with_other_processes_through_the_cache(db, make_user):
    """git's info/refs request may reach one ``lindos serve`` process and
    its push another: the proof travels through the (file) cache."""
    from django.core.cache import cache

    from lindos.transport import auth

    cache.clear()
    make_user("fay", password="fay-pw")
    user_for_credentials(Credentials("fay", "fay-pw"), address="192.0.2.1", channel="git")
    auth._proven.clear()  # what another process knows of its own
    assert recently_proven(Credentials("fay", "fay-pw"))
    assert not recently_proven(Credentials("fay", "other"))
    cache.clear()
    assert not recently_proven(Credentials("fay", "fay-pw"))


def test_middleware_refuses_a_big_declared_body(client, db):
    big = b"x" * (1024 * 1024 + 1)
    response = client.post("/_admin/login", data=big, content_type="application/octet-stream")
    assert response.status_code == 413
    response = client.post("/_admin/login", data={"username": "u", "password": "p" * 1000})
    assert response.status_code != 413
    # a push goes on to its view, which authenticates first
    response = client.post(
        "/project/git-receive-pack", data=big, content_type="application/x-git-receive-pack-request"
    )
    assert response.status_code == 401


def test_django_forms_hold_at_most_the_form_limit(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.LINDOS.max_form_body_size == 1 << 20


def test_a_front_end_login_lifts_the_limit_on_pushes_only():
    assert body_limit("POST", "/project/git-receive-pack", "", None, small=1, big=9, vouched=True) == 9
    assert body_limit("POST", "/project", "cmd=unbundle", None, small=1, big=9, vouched=True) == 9
    for method, path, query in (
        ("POST", "/project/git-upload-pack", ""),
        ("POST", "/_admin/login", ""),
        ("GET", "/project/git-receive-pack", ""),
    ):
        assert body_limit(method, path, query, None, small=1, big=9, vouched=True) == 1


@pytest.mark.parametrize(
    "trusted_proxy, peer, headers, enabled, vouched",
    [
        ("10.0.0.5", "10.0.0.5", {"X_FORWARDED_USER": "carol"}, True, True),
        ("10.0.0.5", "10.0.0.6", {"X_FORWARDED_USER": "carol"}, True, False),
        ("*", "10.0.0.5", {"X_FORWARDED_USER": "carol"}, True, False),
        ("10.0.0.5", "10.0.0.5", {"X_FORWARDED_USER": "  "}, True, False),
        ("10.0.0.5", "10.0.0.5", {}, True, False),
        ("10.0.0.5", "10.0.0.5", {"X_FORWARDED_USER": "carol"}, False, False),
        # REMOTE_USER is the WSGI server's own variable: no header makes it.
        ("10.0.0.5", "10.0.0.5", {"REMOTE_USER": "carol"}, True, False),
    ],
)
def test_front_end_vouches_by_the_container_login_rule(
    db, settings, trusted_proxy, peer, headers, enabled, vouched
):
    import dataclasses

    from lindos.externalauth.current import save_auth_settings
    from lindos.externalauth.models import AuthSettings
    from lindos.transport.body_limit import front_end_vouches

    settings.LINDOS = dataclasses.replace(settings.LINDOS, server_proxy={"trusted_proxy": trusted_proxy})
    save_auth_settings(AuthSettings(plugins="internal,container", container_enabled=enabled))
    assert front_end_vouches(peer, headers) is vouched
