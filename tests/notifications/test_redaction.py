"""The redaction rules of error mails, table-driven (the mails themselves,
through a real SMTP server, are in test_error_mail.py)."""

import pytest

from lindos.notifications.redaction import (
    MASK,
    format_traceback,
    path_secrets,
    redact_params,
    redact_value,
    scrub,
)

pytestmark = pytest.mark.urls("tests.notifications.error_urls")


@pytest.mark.parametrize(
    "raw, redacted",
    [
        ("/x?api_key=abc&n=1", f"/x?api_key={MASK}&n=1"),
        ("a=1&password=p&csrfmiddlewaretoken=t", f"a=1&password={MASK}&csrfmiddlewaretoken={MASK}"),
        ("pw=hunter2&pwd=x&passwd=y", f"pw={MASK}&pwd={MASK}&passwd={MASK}"),
        ("/x?p%61ssword=v", f"/x?p%61ssword={MASK}"),  # an encoded name
        ("/x?next=Bearer%20abcdefgh123", f"/x?next={MASK}"),  # a secret-looking value
        ("/log?author=alice&page=2", "/log?author=alice&page=2"),  # "author" is not "auth"
        ("login failed; password=hunter2 for bob", f"login failed; password={MASK} for bob"),
        ("plain text = fine", "plain text = fine"),
    ],
)
def test_redact_params(raw, redacted):
    assert redact_params(raw) == redacted


@pytest.mark.parametrize(
    "value, shown",
    [
        ("Bearer abc.def-ghijk", MASK),
        ("token 0123456789abcdef", MASK),
        ("realm=x, Basic YWxhZGRpbjpvcGVuc2VzYW1l", MASK),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", MASK),
        ("Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)"),
        ("text/html,application/xhtml+xml;q=0.9", "text/html,application/xhtml+xml;q=0.9"),
    ],
)
def test_header_values_that_look_secret_are_masked_whole(value, shown):
    assert redact_value(value) == shown


def test_scrub_masks_known_values_longest_first_and_credentials_in_prose():
    text = "user alice-secret-long used alice-secret and Bearer zzzzzzzz9"
    assert scrub(text, ["alice-secret-long", "alice-secret"]) == f"user {MASK} used {MASK} and {MASK}"


def test_path_secrets_are_the_url_arguments_named_like_a_secret():
    assert path_secrets("/_admin/password_reset_confirmation/MQ/cbz3kq-0123456789abcdef") == [
        "cbz3kq-0123456789abcdef"
    ]
    assert path_secrets("/_admin/users/7/edit") == []  # <user_id> is no secret
    assert path_secrets("/no/such/page") == []
    assert path_secrets("relative/or/garbage\x00") == []
    assert path_secrets("") == []


def test_body_values_are_masked_in_messages_but_frames_stay_whole():
    def fail(value):
        raise ValueError(f"bad value {value}")

    try:
        fail("test_redaction")  # a body value that is also a file and function name
    except ValueError as exc:
        text = format_traceback(exc, [], ["test_redaction"])
    assert 'test_redaction.py", line' in text and "in fail" in text
    assert text.rstrip().endswith(f"ValueError: bad value {MASK}")


def test_huge_values_are_redacted():
    value = "a=" + "x" * 2_000_000 + "&password=" + "p" * 1000
    assert redact_params(value).endswith(f"&password={MASK}")
    assert redact_value("Bearer " + "y" * 2_000_000) == MASK
