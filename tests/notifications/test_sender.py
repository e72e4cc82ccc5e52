"""Who a mail is from, and the name it gives the instance."""

import pytest

from lindos.notifications.sender import instance_title


@pytest.mark.parametrize(
    "site_title, app_email_from, expected",
    [
        ("Lindos", "Kallithea <kallithea@example.com>", "Kallithea"),  # the default title
        ("", "Kallithea <kallithea@example.com>", "Kallithea"),
        ("Acme Code", "Kallithea <kallithea@example.com>", "Acme Code"),  # chosen by an admin
        ("Lindos", "kallithea@example.com", "Lindos"),  # nothing else to go by
        ("Acme\r\nBcc: x@evil.example", "k@example.com", "Acme Bcc: x@evil.example"),
    ],
)
def test_instance_title(site_title, app_email_from, expected):
    assert instance_title(site_title, app_email_from) == expected
