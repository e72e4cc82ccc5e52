"""Error mails: to email_to from error_email_from, no secrets, throttled."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from lindos.accounts.models import User
from lindos.notifications.delivery import deliver_due
from lindos.notifications.error_mail import redact_params, report_task_exception
from lindos.notifications.models import ErrorReport, OutboxMail

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.notifications.error_urls")]


@pytest.fixture
def lindos_secrets(settings, smtpd):
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS,
        smtp_password="smtp-pass-XYZZY",
        email_to=("ops@example.com", "oncall@example.com"),
        error_email_from="Lindos Errors <errors@example.com>",
    )
    return settings.LINDOS


def explode(client, **extra):
    client.raise_request_exception = False
    return client.get("/explode", {"what": "widgets", "api_key": "APIKEY-in-url-123"}, **extra)


def test_request_error_is_mailed_without_secrets(client, lindos_secrets, smtpd):
    user = User.objects.create_user("alice", "alice@example.com", "pw")
    client.force_login(user)
    client.cookies["lindos_extra"] = "cookie-value-SECRET"
    response = explode(
        client,
        HTTP_AUTHORIZATION="Bearer token-AUTH-456",
        HTTP_X_API_KEY="hdr-APIKEY-789",
        HTTP_USER_AGENT="pytest-agent",
    )
    assert response.status_code == 500
    assert deliver_due().sent == 2
    assert sorted(smtpd.recipients) == ["oncall@example.com", "ops@example.com"]
    received = smtpd.messages[0]
    msg = received.message
    assert received.mail_from == "errors@example.com"
    assert msg["From"] == "Lindos Errors <errors@example.com>"
    # Kallithea's subject, short: where it happened is in the body only.
    assert msg["Subject"] == "WebApp Error: ValueError: cannot frobnicate widgets"
    assert "X-Kallithea-Notification-Type" not in msg
    text = msg.get_body(("plain",)).get_content()
    assert "ValueError: cannot frobnicate widgets" in text
    assert 'error_urls.py", line 11, in explode' in text  # the traceback
    assert f"User:  alice (id {user.pk})" in text
    assert "HTTP_USER_AGENT = pytest-agent" in text
    assert "Where: GET http://testserver/explode?what=widgets&api_key=********" in text
    whole = received.data.decode()
    for secret in (
        "smtp-pass-XYZZY",
        "APIKEY-in-url-123",
        "token-AUTH-456",
        "hdr-APIKEY-789",
        "cookie-value-SECRET",
        client.cookies["lindos"].value,
        user.api_key,
        dataclasses.asdict(lindos_secrets)["secret_key"],
    ):
        assert secret not in whole and secret not in msg.get_body(("html",)).get_content()


def test_same_error_is_mailed_once_per_interval_with_a_count(client, lindos_secrets, smtpd):
    for _ in range(3):
        explode(client)
    assert OutboxMail.objects.filter(mail_type="error").count() == 2  # one per email_to
    report = ErrorReport.objects.get()
    assert (report.total, report.unmailed) == (3, 2)
    ErrorReport.objects.update(last_mailed_at=timezone.now() - timedelta(seconds=601))
    explode(client)
    deliver_due()
    subjects = {m.message["Subject"] for m in smtpd.messages}
    assert subjects == {"WebApp Error: ValueError: cannot frobnicate widgets"}
    counted = [
        m
        for m in smtpd.messages
        if "This error happened 3 times since it was last mailed"
        in m.message.get_body(("plain",)).get_content()
    ]
    assert len(counted) == 2


def test_repeats_are_mailed_once_the_interval_passed_without_another_error(client, lindos_secrets, smtpd):
    for _ in range(3):
        explode(client)
    assert deliver_due().sent == 2  # the first occurrence
    assert deliver_due().claimed == 0  # quiet interval: the repeats wait
    later = timezone.now() + timedelta(seconds=601)
    assert deliver_due(now=later).sent == 2  # one per email_to, with the count
    repeat = smtpd.messages[-1].message
    assert repeat["Subject"] == "WebApp Error: ValueError: cannot frobnicate widgets"
    text = repeat.get_body(("plain",)).get_content()
    assert "This error happened 2 times since it was last mailed" in text
    assert 'error_urls.py", line 11, in explode' in text and "APIKEY-in-url-123" not in text
    assert (ErrorReport.objects.get().unmailed, ErrorReport.objects.get().total) == (0, 3)
    assert deliver_due(now=later + timedelta(seconds=601)).claimed == 0  # nothing new
    assert len(smtpd.messages) == 4


def test_no_error_mail_in_debug_mode(client, settings, smtpd):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, debug=True)
    explode(client)
    assert OutboxMail.objects.count() == 0


def test_task_exception(lindos_secrets, smtpd):
    try:
        raise RuntimeError("worker broke; password=hunter2 smtp-pass-XYZZY")
    except RuntimeError as exc:
        ids = report_task_exception(exc, "deliver_due")
    assert len(ids) == 2
    deliver_due()
    msg = smtpd.messages[0].message
    assert msg["Subject"].startswith("WebApp Error: RuntimeError: worker broke; password=******** ")
    assert "task" not in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    assert "Where: task deliver_due" in text
    assert "hunter2" not in text and "smtp-pass-XYZZY" not in text


@pytest.mark.parametrize(
    "raw, redacted",
    [
        ("/x?api_key=abc&n=1", "/x?api_key=********&n=1"),
        ("a=1&password=p&csrfmiddlewaretoken=t", "a=1&password=********&csrfmiddlewaretoken=********"),
        ("plain text", "plain text"),
    ],
)
def test_redact_params(raw, redacted):
    assert redact_params(raw) == redacted


# The attacks of the hardening issue: each left a secret in the mail before.


def whole_mail(received) -> str:
    msg = received.message
    return (
        received.data.decode()
        + msg.get_body(("plain",)).get_content()
        + msg.get_body(("html",)).get_content()
    )


def reset_link_path(user) -> tuple[str, str]:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/_admin/password_reset_confirmation/{uid}/{token}", token


def test_reset_token_in_the_failing_url_is_masked(client, lindos_secrets, smtpd, monkeypatch):
    alice = User.objects.create_user("alice", "alice@example.com", "pw")
    path, token = reset_link_path(alice)

    def broken_form(*args, **kwargs):
        raise RuntimeError("the form could not be built")

    monkeypatch.setattr("lindos.accounts.views.SetPasswordForm", broken_form)
    client.raise_request_exception = False
    assert client.get(path).status_code == 500
    deliver_due()
    received = smtpd.messages[0]
    masked = path.replace(token, "********")
    text = received.message.get_body(("plain",)).get_content()
    assert f"Where: GET http://testserver{masked}" in text
    assert f"PATH_INFO = {masked}" in text
    assert token not in whole_mail(received)


def test_reset_token_in_the_referrer_is_masked(client, lindos_secrets, smtpd):
    alice = User.objects.create_user("alice", "alice@example.com", "pw")
    path, token = reset_link_path(alice)
    explode(client, HTTP_REFERER=f"http://testserver{path}")
    deliver_due()
    received = smtpd.messages[0]
    text = received.message.get_body(("plain",)).get_content()
    assert f"HTTP_REFERER = http://testserver{path.replace(token, '********')}" in text
    assert token not in whole_mail(received)


def test_pw_parameter_and_bearer_token_in_any_header_are_masked(client, lindos_secrets, smtpd):
    client.raise_request_exception = False
    client.get(
        "/explode",
        {"what": "x", "pw": "hunter22-PW"},
        HTTP_X_FORWARDED_IDENTITY="Bearer eyJhbGciOi.eyJzdWIiOi.sig-BEARER",
        HTTP_X_UPSTREAM="realm=main; Basic YWxhZGRpbjpvcGVuc2VzYW1l",
        HTTP_REFERER="http://testserver/x?pw=referer-PW&page=2",
    )
    deliver_due()
    received = smtpd.messages[0]
    text = received.message.get_body(("plain",)).get_content()
    assert "Where: GET http://testserver/explode?what=x&pw=********" in text
    assert "HTTP_X_FORWARDED_IDENTITY = ********" in text
    assert "HTTP_X_UPSTREAM = ********" in text
    assert "HTTP_REFERER = http://testserver/x?pw=********&page=2" in text
    whole = whole_mail(received)
    for secret in ("hunter22-PW", "sig-BEARER", "eyJzdWIiOi", "YWxhZGRpbjpvcGVuc2VzYW1l", "referer-PW"):
        assert secret not in whole


def test_nothing_of_the_request_body_is_in_the_mail(client, lindos_secrets, smtpd):
    client.raise_request_exception = False
    response = client.post(
        "/reject", {"email": "victim@example.com", "code": "918273", "comment": "a private remark"}
    )
    assert response.status_code == 500
    response = client.post(
        "/reject", '{"account": "acct-SECRET-42", "note": [1, "n-o-t-e"]}', content_type="application/json"
    )
    assert response.status_code == 500
    deliver_due()
    form_mail, json_mail = smtpd.messages[0], smtpd.messages[2]
    text = form_mail.message.get_body(("plain",)).get_content()
    assert "ValueError: no user ******** with code ********" in text
    assert "POST fields (values left out) = code, comment, email" in text
    assert 'error_urls.py", line 19, in reject_post' in text  # frames are left whole
    for value in ("victim@example.com", "918273", "a private remark"):
        assert value not in whole_mail(form_mail)
    assert "ValueError: unknown account '********'" in json_mail.message.get_body(("plain",)).get_content()
    assert "acct-SECRET-42" not in whole_mail(json_mail)


def test_subject_has_no_file_system_paths(lindos_secrets, smtpd):
    try:
        open("/srv/lindos/repos/secret-project/.git/HEAD.missing")
    except OSError as exc:
        report_task_exception(exc, "deliver_due")
    deliver_due()
    msg = smtpd.messages[0].message
    assert msg["Subject"] == ("WebApp Error: FileNotFoundError: [Errno 2] No such file or directory: '...'")
    assert "/srv/lindos/repos/secret-project/.git/HEAD.missing" in msg.get_body(("plain",)).get_content()
