"""Mail that cannot be sent is never silent: the admins' banner on every
page, the reason on Admin > Email, "marked off", and the password-reset
page of an install without mail."""

import dataclasses
import datetime

import pytest

from lindos.accounts.models import User
from lindos.notifications.mail_health import LastAttempt, build_mail_problem

URL = "/_admin/settings/email"
WHEN = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


def attempt(state, error="", reply=""):
    return LastAttempt(
        pk=7, to="a@example.com", subject="s", state=state, reply=reply, error=error, when=WHEN
    )


@pytest.mark.parametrize(
    "server,off,last,expected",
    [
        ("", False, None, "Mail is not set up: smtp_server is not set"),
        ("", True, None, None),
        ("smtp.example.com", False, None, None),
        ("smtp.example.com", False, attempt("sent", reply="250 ok"), None),
        (
            "smtp.example.com",
            False,
            attempt("failed", "recipient refused: 550 no"),
            "The last mail (to a@example.com) could not be sent: recipient refused: 550 no",
        ),
        (
            "smtp.example.com",
            False,
            attempt("pending", "connection refused"),
            "The last mail (to a@example.com) could not be sent: connection refused",
        ),
        ("smtp.example.com", True, attempt("failed", "x"), None),
    ],
)
def test_build_mail_problem(server, off, last, expected):
    problem = build_mail_problem(server, off, last)
    if expected is None:
        assert problem is None
    else:
        assert problem.startswith(expected)


@pytest.fixture
def admin(db):
    return User.objects.create_user("root", "root@example.com", "pw123456", is_superuser=True)


def banner(client, path="/"):
    import re

    found = re.search(
        r'<div class="mail-banner" id="mail-banner" role="alert">(.*?)</div>',
        client.get(path).content.decode(),
        re.S,
    )
    return found.group(1) if found else None


@pytest.mark.django_db
def test_without_smtp_server_admins_see_a_banner_everywhere_until_marked_off(client, admin, settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, smtp_server="")
    client.force_login(admin)
    for path in ("/", "/_admin/my_account", URL):
        shown = banner(client, path)
        assert shown.startswith("Mail is not set up: smtp_server is not set"), path
        assert '<a href="/_admin/settings/email">Admin &gt; Email</a>' in shown
    response = client.post(URL, {"action": "mail_off"}, follow=True)
    assert "This install is marked as sending no mail." in response.content.decode()
    assert banner(client) is None
    assert (
        "This install is marked as sending no mail: admins are not warned" in client.get(URL).content.decode()
    )
    client.post(URL, {"action": "mail_on"})
    assert banner(client).startswith("Mail is not set up")


@pytest.mark.django_db
def test_others_never_see_the_banner(client, admin, settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, smtp_server="")
    assert banner(client) is None
    client.force_login(User.objects.create_user("joe", "joe@example.com", "pw123456"))
    assert banner(client) is None
    assert client.post(URL, {"action": "mail_off"}).status_code == 404  # not an admin
    client.force_login(admin)
    assert banner(client) is not None


@pytest.mark.django_db
def test_a_failed_mail_is_named_until_one_goes_out(client, admin, smtpd):
    smtpd.replies["rcpt"] = "550 5.1.1 <check@example.com>: Recipient address rejected"
    client.force_login(admin)
    client.post(URL, {"action": "test", "address": "check@example.com"})
    assert banner(client) == (
        "The last mail (to check@example.com) could not be sent: recipient "
        "refused: 550 5.1.1 &lt;check@example.com&gt;: Recipient address "
        'rejected <a href="/_admin/settings/email">Admin &gt; Email</a>'
    )
    page = client.get(URL).content.decode()
    assert 'Why it was not sent: <span class="error">recipient refused: 550 5.1.1' in page
    del smtpd.replies["rcpt"]
    client.post(URL, {"action": "test", "address": "check@example.com"})
    assert banner(client) is None
    page = client.get(URL).content.decode()
    assert "The SMTP server answered: <code>250 2.0.0 Ok: queued as TEST" in page


@pytest.mark.django_db
def test_the_test_mail_without_smtp_server_says_why(client, admin, settings):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, smtp_server="")
    client.force_login(admin)
    page = client.post(URL, {"action": "test", "address": "check@example.com"}, follow=True).content.decode()
    assert (
        "Test email to check@example.com not sent: not sent: smtp_server is not configured "
        "(the mail is in the log)"
    ) in page
    assert 'Why it was not sent: <span class="error">not sent: smtp_server is not configured' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "server,off,promised",
    [("", False, False), ("smtp.example.com", True, False), ("smtp.example.com", False, True)],
)
def test_password_reset_does_not_promise_a_mail_that_cannot_come(client, settings, server, off, promised):
    from lindos.appsettings.current import save_app_settings

    settings.LINDOS = dataclasses.replace(settings.LINDOS, smtp_server=server)
    save_app_settings(mail_off=off)
    for page in (
        client.get("/_admin/password_reset"),
        client.post("/_admin/password_reset", {"email": "x@example.com"}),
    ):
        text = page.content.decode()
        assert ("This site sends no email, so no reset link can be sent" in text) is not promised
        assert ("is on its way" in text) is (promised and page.wsgi_request.method == "POST")
