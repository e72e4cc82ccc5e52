"""Account mails end to end: the accounts views call notify(), which
records the event in their transaction; the worker expands it into rows and
delivers them to a real server."""

import re

import pytest
from django.db import transaction

from lindos.accounts.models import User
from lindos.accounts.registration import do_create_user
from lindos.notifications import events as ev
from lindos.notifications import facts as f
from lindos.notifications import notify
from lindos.notifications.delivery import deliver_due
from lindos.notifications.models import OutboxMail, PendingNotification
from tests.mail_helpers import expand, notify_and_expand, outbox_after
from tests.notifications.conftest import with_loader

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(db):
    return [
        User.objects.create_user(
            "root", "root@example.com", "pw", is_superuser=True, first_name="Root", last_name="Admin"
        ),
        User.objects.create_user("ops", "ops-admin@example.com", "pw", is_superuser=True),
    ]


def test_registration_mails_every_admin(client, smtpd, admins):
    from lindos.appsettings.current import save_app_settings

    save_app_settings(registration="manual")
    response = client.post(
        "/_admin/register",
        {
            "username": "newbie",
            "firstname": "Nelly",
            "lastname": "Newbie",
            "email": "nelly@example.com",
            "password": "Very-secret-123",
            "password_confirmation": "Very-secret-123",
        },
    )
    assert response.status_code == 200
    assert deliver_due().sent == 1
    [confirm] = smtpd.messages
    assert confirm.rcpt_tos == ["nelly@example.com"]
    assert confirm.message["Subject"] == "Confirm your email address"
    assert confirm.message["X-Kallithea-Notification-Type"] == "message"
    assert confirm.message["To"] == "Nelly Newbie <nelly@example.com>"
    link = re.search(
        r"http://lindos\.example\.com(/_admin/register/confirm/\S+)",
        confirm.message.get_body(("plain",)).get_content(),
    ).group(1)
    assert client.post(link).status_code == 302
    smtpd.messages.clear()
    assert deliver_due().sent == 2
    assert sorted(smtpd.recipients) == ["ops-admin@example.com", "root@example.com"]
    by_to = {m.rcpt_tos[0]: m.message for m in smtpd.messages}
    msg = by_to["root@example.com"]
    assert msg["Subject"] == "New user newbie registered"
    assert msg["X-Kallithea-Notification-Type"] == "registration"
    assert msg["From"] == '"Nelly Newbie (no-reply)" <lindos-noreply@example.com>'
    assert msg["To"] == "Root Admin <root@example.com>"
    text = msg.get_body(("plain",)).get_content()
    assert "Username: newbie" in text and "Active:   no" in text
    assert "http://lindos.example.com/_admin/users/" in text


def test_the_owner_of_an_address_in_use_is_told_instead(client, smtpd, admins):
    from lindos.appsettings.current import save_app_settings

    save_app_settings(registration="automatic")
    form = {
        "username": "mallory",
        "email": "ROOT@example.com",
        "password": "Very-secret-123",
        "password_confirmation": "Very-secret-123",
    }
    assert client.post("/_admin/register", form).status_code == 200
    assert deliver_due().sent == 1
    [warning] = smtpd.messages
    assert warning.rcpt_tos == ["root@example.com"]
    msg = warning.message
    assert msg["Subject"] == "Someone tried to use your email address"
    assert msg["X-Kallithea-Notification-Type"] == "message"
    assert msg["From"] == "Lindos <lindos-noreply@example.com>"
    body = msg.get_body(("plain",)).get_content()
    assert "Someone tried to register a new Lindos account with this email address" in body
    assert 'already belongs to your account "root"' in body and "mallory" not in body
    assert not User.objects.filter(username="mallory").exists()


def test_an_address_change_is_confirmed_by_mail(client, smtpd, admins):
    client.force_login(admins[1])
    client.post(
        "/_admin/my_account",
        {
            "action": "profile",
            "profile-first_name": "",
            "profile-last_name": "",
            "profile-email": "ops@new.example.com",
        },
    )
    client.post(
        "/_admin/my_account",
        {
            "action": "profile",
            "profile-first_name": "",
            "profile-last_name": "",
            "profile-email": "Root@example.com",
        },
    )
    assert deliver_due().sent == 2
    by_to = {m.rcpt_tos[0]: m.message for m in smtpd.messages}
    assert by_to["root@example.com"]["Subject"] == "Someone tried to use your email address"
    assert (
        "the address of another Lindos account"
        in by_to["root@example.com"].get_body(("plain",)).get_content()
    )
    confirm = by_to["ops@new.example.com"]
    assert confirm["Subject"] == "Confirm your email address"
    link = re.search(
        r"http://lindos\.example\.com(/_admin/my_account/email/\S+)",
        confirm.get_body(("plain",)).get_content(),
    ).group(1)
    assert client.post(link).status_code == 302
    assert User.objects.get(username="ops").email == "ops@new.example.com"


def test_registration_without_admins_falls_back_to_email_to(smtpd, caplog):
    do_create_user(username="lonely", email="lonely@example.com", password="x", self_registered=True)
    assert deliver_due().sent == 1
    assert smtpd.recipients == ["ops@example.com"]  # email_to of the test INI
    assert "UserRegistered: no recipients; sending to the administrators and email_to" in caplog.text


def test_password_reset_link_reaches_the_user_and_works(client, smtpd):
    User.objects.create_user("bob", "Bob@Example.com", "old-pw-123")
    client.post("/_admin/password_reset", {"email": "bob@example.com"})
    assert deliver_due().sent == 1
    [received] = smtpd.messages
    assert received.rcpt_tos == ["Bob@example.com"]
    msg = received.message
    assert msg["Subject"] == "Password reset link"
    assert msg["From"] == "Lindos <lindos-noreply@example.com>"
    assert msg["X-Kallithea-Notification-Type"] == "message"
    link = re.search(
        r"http://lindos\.example\.com(/_admin/password_reset_confirmation/\S+)",
        msg.get_body(("plain",)).get_content(),
    ).group(1)
    page = client.post(link, {"new_password1": "New-pass-4567", "new_password2": "New-pass-4567"})
    assert page.status_code == 302
    assert deliver_due().sent == 1
    confirmation = smtpd.messages[1].message
    assert confirmation["Subject"] == "Password reset notification"
    assert smtpd.messages[1].rcpt_tos == ["Bob@example.com"]


def test_unknown_address_sends_nothing(client, smtpd):
    client.post("/_admin/password_reset", {"email": "nobody@example.com"})
    assert outbox_after().count() == 0


def test_rolled_back_action_sends_nothing(smtpd, admins):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with transaction.atomic():
            do_create_user(username="ghost", email="ghost@example.com", password="x", self_registered=True)
            assert PendingNotification.objects.count() == 1
            assert outbox_after().count() == 2
            raise Boom
    assert PendingNotification.objects.count() == 0
    assert outbox_after().count() == 0
    assert deliver_due().claimed == 0 and smtpd.messages == []


def test_enqueued_listeners_run_after_commit(django_capture_on_commit_callbacks, admins):
    from lindos.notifications import outbox

    seen = []
    outbox.on_mail_enqueued.append(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(ev.UserRegistered(actor_id=None, user_id=admins[0].pk))
            assert seen == []
        assert seen == [[]]  # recorded, no rows yet: listeners deliver what is due
        with django_capture_on_commit_callbacks(execute=True):
            ids = expand()
            assert seen == [[]] and len(ids) == 2
        assert seen == [[], ids]
    finally:
        outbox.on_mail_enqueued.remove(seen.append)


def test_same_event_twice_is_recorded_once(admins):
    newbie = User.objects.create_user("n", "n@example.com", "pw")
    first = notify_and_expand(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    second = notify_and_expand(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    assert first == second and OutboxMail.objects.count() == 2


def test_invalid_user_address_is_skipped_others_still_get_theirs(smtpd, admins, caplog):
    User.objects.filter(pk=admins[1].pk).update(email="not an address")
    newbie = User.objects.create_user("n", "n@example.com", "pw")
    notify(ev.UserRegistered(actor_id=newbie.pk, user_id=newbie.pk))
    assert deliver_due().sent == 1
    assert smtpd.recipients == ["root@example.com"]
    assert (
        "skipping administrator (user %d): invalid email address 'not an address'" % admins[1].pk
        in caplog.text
    )


def test_loader_failure_falls_back_without_leaking_the_link(smtpd, admins, caplog, monkeypatch):
    def broken(event):
        raise RuntimeError("the user table is unreadable")

    with_loader(monkeypatch, ev.PasswordResetRequested, broken)
    notify(ev.PasswordResetRequested(actor_id=None, user_id=admins[0].pk, reset_url="http://x/secret-token"))
    assert deliver_due().sent == 3  # two admins and email_to
    assert sorted(smtpd.recipients) == ["ops-admin@example.com", "ops@example.com", "root@example.com"]
    msg = smtpd.messages[0].message
    assert msg["Subject"] == "Undeliverable notification: PasswordResetRequested"
    assert "secret-token" not in smtpd.messages[0].data.decode()
    assert "loading the facts failed: RuntimeError: the user table is unreadable" in caplog.text


def test_user_deleted_before_expansion_is_mailed_nothing(smtpd, admins, caplog):
    """Gone is not an error: no fallback mail to the administrators."""
    bob = User.objects.create_user("bob", "bob@example.com", "pw")
    notify(ev.PasswordResetRequested(actor_id=None, user_id=bob.pk, reset_url="http://x/secret-token"))
    bob.delete()
    assert deliver_due().claimed == 0 and smtpd.messages == []
    notification = PendingNotification.objects.get()
    assert (notification.state, notification.mails) == ("expanded", 0)
    assert "PasswordResetRequested: what it is about no longer exists" in caplog.text


def test_test_mail_to_an_address(smtpd):
    notify(ev.TestMailRequested(actor_id=None, address="x@example.org"))
    deliver_due()
    assert smtpd.recipients == ["x@example.org"]
    assert smtpd.messages[0].message["To"] == "x@example.org"


def test_mail_names_the_instance_by_its_site_title(smtpd, admins):
    from lindos.appsettings.current import forget_app_settings, save_app_settings

    save_app_settings(title="Acme Code")
    try:
        notify_and_expand(ev.PasswordChanged(actor_id=None, user_id=admins[0].pk))
        notify_and_expand(ev.TestMailRequested(actor_id=None, address="t@example.com"))
        assert deliver_due().sent == 2
        changed, test = (m.message for m in smtpd.messages)
        assert changed["Subject"] == "Password reset notification"
        text = changed.get_body(("plain",)).get_content()
        assert 'your Acme Code account "root"' in text and "Sent by Acme Code" in text
        assert "Lindos" not in text  # From is app_email_from, as Kallithea
        assert test["Subject"] == "Acme Code test email"
    finally:
        forget_app_settings()


@pytest.mark.parametrize("source", ["ldap", "container"])
def test_an_account_whose_password_is_kept_elsewhere_gets_no_reset_link(client, smtpd, source):
    """Its owner is told where the password is changed, in the same number
    of mails through the outbox; the page is the one every address gets."""
    from lindos.externalauth.models import ExternalIdentity
    from tests.accounts.conftest import csrf_free

    User.objects.create_user("bob", "bob@example.com", "old-pw-123")
    outside = User.objects.create_user("dora", "Dora@Example.com")
    ExternalIdentity.objects.create(user=outside, source=source, extern_name="dora")
    pages = [
        client.post("/_admin/password_reset", {"email": address})
        for address in ("dora@example.com", "bob@example.com", "nobody@example.com")
    ]
    assert {page.status_code for page in pages} == {200}
    assert len({csrf_free(page) for page in pages}) == 1
    assert deliver_due().sent == 2
    by_to = {m.rcpt_tos[0]: m.message for m in smtpd.messages}
    assert by_to["bob@example.com"]["Subject"] == "Password reset link"
    msg = by_to["Dora@example.com"]
    assert msg["Subject"] == "Password reset request"
    assert msg["X-Kallithea-Notification-Type"] == "message"
    text = msg.get_body(("plain",)).get_content()
    assert "password_reset_confirmation" not in msg.as_string()
    assert "No password was changed." in text
    assert ("directory (LDAP)" in text) == (source == "ldap")
    assert ("sign-in service in front of" in text) == (source == "container")
    outside.refresh_from_db()
    assert not outside.has_usable_password()


def test_a_link_mailed_before_the_account_moved_to_a_directory_sets_nothing(client, smtpd):
    from lindos.externalauth.models import ExternalIdentity

    bob = User.objects.create_user("bob", "bob@example.com", "old-pw-123")
    client.post("/_admin/password_reset", {"email": "bob@example.com"})
    assert deliver_due().sent == 1
    link = re.search(
        r"http://lindos\.example\.com(/_admin/password_reset_confirmation/\S+)",
        smtpd.messages[0].message.get_body(("plain",)).get_content(),
    ).group(1)
    ExternalIdentity.objects.create(user=bob, source="ldap", extern_name="uid=bob,dc=example,dc=com")
    assert client.get(link).status_code == 400
    page = client.post(link, {"new_password1": "New-pass-4567", "new_password2": "New-pass-4567"})
    assert page.status_code == 400
    bob.refresh_from_db()
    assert bob.check_password("old-pw-123")


def test_reset_requests_for_an_outside_account_are_limited_like_any(client, smtpd):
    from lindos.externalauth.models import ExternalIdentity

    dora = User.objects.create_user("dora", "dora@example.com")
    ExternalIdentity.objects.create(user=dora, source="container", extern_name="dora")
    statuses = [
        client.post("/_admin/password_reset", {"email": "dora@example.com"}).status_code for _ in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2
    assert deliver_due().sent == 5
