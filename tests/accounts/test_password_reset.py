"""Password reset by emailed link: the answer never tells whether an address
is registered; the link works once, expires after an hour, and sets the
password."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator

from lindos.accounts.models import User
from lindos.notifications.events import PasswordChanged, PasswordResetRequested
from tests.accounts.conftest import PASSWORD, csrf_free, header_name, text

NEW = "brand-new-password"


def ask_for_link(client, events, address):
    client.post("/_admin/password_reset", {"email": address})
    (event,) = [e for e in events if isinstance(e, PasswordResetRequested)]
    return event


def test_answer_is_the_same_for_known_and_unknown_addresses(client, alice, make_user, events, settings):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, smtp_server="smtp.example.com")
    make_user("sleeper", is_active=False)
    known = client.post("/_admin/password_reset", {"email": "alice@example.com"})
    unknown = client.post("/_admin/password_reset", {"email": "nobody@example.com"})
    inactive = client.post("/_admin/password_reset", {"email": "sleeper@example.com"})
    assert known.status_code == unknown.status_code == inactive.status_code == 200
    assert csrf_free(known) == csrf_free(unknown) == csrf_free(inactive)
    assert "If that address belongs to an account, a link to set a new password is on its way." in text(known)
    assert [type(e) for e in events] == [PasswordResetRequested]
    assert events[0].user_id == alice.pk


def test_address_is_matched_without_case(client, alice, events):
    event = ask_for_link(client, events, "ALICE@Example.com")
    assert event.user_id == alice.pk and event.actor_id is None


def test_link_is_absolute_on_the_canonical_url(client, alice, events):
    event = ask_for_link(client, events, "alice@example.com")
    assert event.reset_url.startswith("http://lindos.example.com/_admin/password_reset_confirmation/")


def test_link_sets_the_password_once(client, alice, events):
    path = urlsplit(ask_for_link(client, events, "alice@example.com").reset_url).path
    form = client.get(path)
    assert form.status_code == 200 and "Choose a new password" in text(form)
    done = client.post(path, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain == [("/_admin/login", 302)]
    assert "Your password has been changed. You can log in now." in text(done)
    assert events[-1] == PasswordChanged(actor_id=None, user_id=alice.pk)

    client.post("/_admin/login", {"username": "alice", "password": PASSWORD})
    assert header_name(client.get("/")) is None
    client.post("/_admin/login", {"username": "alice", "password": NEW})
    assert header_name(client.get("/")) == "Alice Liddell"
    client.post("/_admin/logout")

    again = client.get(path)
    assert again.status_code == 400 and "This link is no longer valid" in text(again)
    assert client.post(path, {"new_password1": "x" * 12, "new_password2": "x" * 12}).status_code == 400
    assert User.objects.get(pk=alice.pk).check_password(NEW)


@pytest.mark.parametrize("later,works", [(3599, True), (3601, False)])
def test_link_expires_after_an_hour(client, alice, events, monkeypatch, later, works):
    path = urlsplit(ask_for_link(client, events, "alice@example.com").reset_url).path
    monkeypatch.setattr(default_token_generator, "_now", lambda: datetime.now() + timedelta(seconds=later))
    assert client.get(path).status_code == (200 if works else 400)


def test_mismatched_new_passwords_keep_the_old_one(client, alice, events):
    path = urlsplit(ask_for_link(client, events, "alice@example.com").reset_url).path
    response = client.post(path, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert response.status_code == 200 and "The two password fields didn’t match." in text(response)
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


@pytest.mark.parametrize(
    "path",
    [
        "/_admin/password_reset_confirmation/xx/yy",
        "/_admin/password_reset_confirmation/MQ/set-password",
        "/_admin/password_reset_confirmation/OTk5OTk/abc-def",
    ],
)
def test_garbage_links_are_invalid(client, alice, path):
    assert client.get(path).status_code == 400


# Link poisoning (hardening issue): the reset link must never be built on a
# Host header Lindos does not trust.  Through the real pipeline and SMTP.

from tests.smtpd import smtp_server_factory, smtpd  # noqa: E402,F401


def reset_mail(smtpd):
    from lindos.notifications.delivery import deliver_due

    deliver_due()
    return [m.message.get_body(("plain",)).get_content() for m in smtpd.messages]


def test_forged_host_without_canonical_url_is_refused_and_mails_nothing(client, alice, smtpd, settings):
    import dataclasses

    from lindos.notifications.models import PendingNotification

    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="")
    response = client.post(
        "/_admin/password_reset", {"email": "alice@example.com"}, HTTP_HOST="evil.example:8080"
    )
    assert response.status_code == 400
    assert PendingNotification.objects.count() == 0
    assert reset_mail(smtpd) == []


def test_without_canonical_url_the_link_is_on_the_trusted_host_it_was_asked_on(
    client, alice, smtpd, settings
):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="")
    client.post("/_admin/password_reset", {"email": "alice@example.com"}, HTTP_HOST="localhost:5000")
    [text] = reset_mail(smtpd)
    assert "http://localhost:5000/_admin/password_reset_confirmation/" in text


def test_with_canonical_url_any_host_gets_the_canonical_link(client, alice, smtpd, settings):
    settings.ALLOWED_HOSTS = ["*"]  # allowed_hosts = * (only allowed with canonical_url)
    client.post("/_admin/password_reset", {"email": "alice@example.com"}, HTTP_HOST="evil.example:8080")
    [text] = reset_mail(smtpd)
    assert "http://lindos.example.com/_admin/password_reset_confirmation/" in text
    assert "evil.example" not in text


@pytest.mark.parametrize(
    "host",
    [
        "évil.example",
        "localhost:5000@evil.example",
        "localhost:5000/evil",
        "x" * 10000,
        "localhost:5000, evil.example",
        "localhost:5000\r\nX-Injected: 1",
        "[::1]:5000]evil",
        "",
    ],
)
def test_odd_host_headers_get_400_and_no_mail(client, alice, smtpd, settings, host):
    import dataclasses

    from lindos.notifications.models import PendingNotification

    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="")
    response = client.post("/_admin/password_reset", {"email": "alice@example.com"}, HTTP_HOST=host)
    assert response.status_code == 400
    assert "allowed_hosts" in response.content.decode() and "evil" not in response.content.decode()
    assert PendingNotification.objects.count() == 0


def test_x_forwarded_host_is_not_believed(client, alice, smtpd, settings):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="")
    client.post(
        "/_admin/password_reset",
        {"email": "alice@example.com"},
        HTTP_HOST="localhost:5000",
        HTTP_X_FORWARDED_HOST="evil.example",
    )
    [text] = reset_mail(smtpd)
    assert "http://localhost:5000/_admin/password_reset_confirmation/" in text and "evil" not in text


# --- mail one person can cause (hardening issue, item 5) ----------------------


def test_reset_requests_from_one_address_are_limited(client, alice, events):
    for n in range(10):
        response = client.post(
            "/_admin/password_reset", {"email": f"someone{n}@example.com"}, REMOTE_ADDR="203.0.113.1"
        )
        assert response.status_code == 200
    refused = client.post("/_admin/password_reset", {"email": "alice@example.com"}, REMOTE_ADDR="203.0.113.1")
    assert refused.status_code == 429 and refused["Retry-After"].isdigit()
    assert "Too many reset requests from your address. Try again in 60 minutes." in text(refused)
    assert events == []
    client.post("/_admin/password_reset", {"email": "alice@example.com"}, REMOTE_ADDR="203.0.113.2")
    assert len(events) == 1


def test_reset_mails_to_one_address_are_limited_whoever_asks(client, alice, events):
    for n in range(5):
        client.post("/_admin/password_reset", {"email": "alice@example.com"}, REMOTE_ADDR=f"192.0.2.{n}")
    refused = client.post("/_admin/password_reset", {"email": "ALICE@example.com"}, REMOTE_ADDR="192.0.2.9")
    assert refused.status_code == 429
    assert "Too many mails to that address already. Try again in 60 minutes." in text(refused)
    assert len(events) == 5


def test_the_limits_tell_nothing_about_who_has_an_account(client, alice, events):
    for address in ("alice@example.com", "nobody@example.com"):
        for n in range(5):
            client.post("/_admin/password_reset", {"email": address}, REMOTE_ADDR=f"192.0.2.{n}")
    known, unknown = (
        client.post("/_admin/password_reset", {"email": a}, REMOTE_ADDR="192.0.2.99")
        for a in ("alice@example.com", "nobody@example.com")
    )
    assert known.status_code == unknown.status_code == 429
    assert csrf_free(known) == csrf_free(unknown)


@pytest.mark.parametrize("email", ["x" * 10000 + "@example.com", "a\x00b@example.com", "é@ü.example"])
def test_odd_addresses_get_the_usual_answer(client, alice, events, email):
    response = client.post("/_admin/password_reset", {"email": email})
    assert response.status_code == 200 and events == []
