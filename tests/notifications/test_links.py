"""Every link in a mail is absolute, on a base decided at the action
(lindos/notifications/links.py): canonical_url, else the trusted address the
action came in on; the worker never reads a Host header."""

import dataclasses
import logging

import pytest
from django.test import RequestFactory

from lindos.accounts.models import User
from lindos.appsettings.current import save_app_settings
from lindos.notifications import links, notify
from lindos.notifications.delivery import deliver_due
from lindos.notifications.events import UserRegistered, event_from_json
from lindos.notifications.models import PendingNotification

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_canonical(settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="")
    return settings.LINDOS


@pytest.fixture
def admin(db):
    return User.objects.create_user("root", "root@example.com", "pw", is_superuser=True)


def register(client, host):
    """Register, and follow the link mailed to the address, both on `host`."""
    from urllib.parse import urlsplit

    save_app_settings(registration="manual")
    response = client.post(
        "/_admin/register",
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password": "secret-123",
            "password_confirmation": "secret-123",
            "firstname": "",
            "lastname": "",
        },
        HTTP_HOST=host,
    )
    assert response.status_code == 200, response.content
    confirm = event_from_json(
        PendingNotification.objects.get(event_type="AddressConfirmationRequested").event
    ).confirm_url
    response = client.post(urlsplit(confirm).path, HTTP_HOST=host)
    assert response.status_code == 302, response.content
    return User.objects.get(username="newbie"), confirm


def mail_text(smtpd, to):
    [received] = [m for m in smtpd.messages if to in m.rcpt_tos]
    return received.message.get_body(("plain",)).get_content()


def test_without_canonical_url_links_use_the_address_the_action_came_in_on(
    client, admin, smtpd, no_canonical
):
    newbie, confirm = register(client, "localhost:5000")
    assert confirm.startswith("http://localhost:5000/_admin/register/confirm/")
    event = event_from_json(PendingNotification.objects.get(event_type="UserRegistered").event)
    assert event.base_url == "http://localhost:5000"
    deliver_due()
    text = mail_text(smtpd, "root@example.com")
    assert f"http://localhost:5000/_admin/users/{newbie.pk}/edit" in text


def test_canonical_url_wins_over_the_request_host(client, admin, smtpd, settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="https://code.example.com")
    newbie, confirm = register(client, "127.0.0.1:5000")
    assert confirm.startswith("https://code.example.com/_admin/register/confirm/")
    deliver_due()
    assert f"https://code.example.com/_admin/users/{newbie.pk}/edit" in mail_text(smtpd, "root@example.com")


def test_a_host_not_allowed_records_nothing(client, admin, smtpd, no_canonical):
    save_app_settings(registration="manual")
    response = client.post(
        "/_admin/register",
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password": "secret-123",
            "password_confirmation": "secret-123",
        },
        HTTP_HOST="evil.example:8080",
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="newbie").exists()
    assert PendingNotification.objects.count() == 0


def test_the_worker_never_reads_a_host_header(admin, smtpd, no_canonical):
    factory = RequestFactory()
    action = factory.post("/_admin/register", HTTP_HOST="localhost:5000")
    links.ActionLinkBaseMiddleware(
        lambda request: notify(UserRegistered(actor_id=admin.pk, user_id=admin.pk))
    )(action)
    # The worker expands while some other request, on another name, is answered.
    other = factory.get("/", HTTP_HOST="127.0.0.1:9999")
    links.ActionLinkBaseMiddleware(lambda request: deliver_due())(other)
    text = mail_text(smtpd, "root@example.com")
    assert "http://localhost:5000/_admin/users/" in text and "9999" not in text


def test_an_event_recorded_without_a_base_expands_on_canonical_url(admin, smtpd, settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url="https://code.example.com")
    stored_by_an_older_lindos = f'{{"type": "UserRegistered", "actor_id": {admin.pk}, "user_id": {admin.pk}}}'
    assert event_from_json(stored_by_an_older_lindos).base_url == ""
    record_raw(stored_by_an_older_lindos)
    deliver_due()
    assert f"https://code.example.com/_admin/users/{admin.pk}/edit" in mail_text(smtpd, "root@example.com")


def test_without_any_base_the_bound_address_is_used_and_logged(admin, smtpd, no_canonical, caplog):
    caplog.set_level(logging.WARNING, logger="lindos.notifications.links")
    record_raw(f'{{"type": "UserRegistered", "actor_id": {admin.pk}, "user_id": {admin.pk}}}')
    deliver_due()
    expected = links.fallback_base_url(no_canonical)
    assert expected == f"http://localhost:{no_canonical.server_port}"
    assert f"{expected}/_admin/users/{admin.pk}/edit" in mail_text(smtpd, "root@example.com")
    assert (
        "UserRegistered was recorded without a base for its links and canonical_url is not set; "
        f"its links use {expected}"
    ) in caplog.text


def test_outside_a_request_the_base_is_canonical_url_or_left_to_the_worker(settings, no_canonical):
    assert links.action_base_url() == ""
    settings.LINDOS = dataclasses.replace(no_canonical, canonical_url="https://code.example.com")
    assert links.action_base_url() == "https://code.example.com"


def record_raw(event_json: str) -> None:
    from django.utils import timezone

    now = timezone.now()
    PendingNotification.objects.create(
        event_type="UserRegistered", event=event_json, next_attempt_at=now, created_at=now
    )
