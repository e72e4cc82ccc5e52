"""Logging set-up: 404s are not warnings, other request problems still are."""

import logging

import pytest


@pytest.mark.django_db
def test_a_404_is_not_logged_as_a_warning(client, caplog):
    caplog.set_level(logging.INFO)
    assert client.get("/no-such-repository/files/tip/x").status_code == 404
    assert client.get("/_admin/no-such-page").status_code == 404
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.django_db
def test_a_404_is_kept_at_debug(client, caplog):
    caplog.set_level(logging.DEBUG, logger="django.request")
    client.get("/no-such-repository")
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "django.request"] == [
        ("DEBUG", "Not Found: /no-such-repository")
    ]


def test_other_request_problems_stay_warnings(caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("django.request").warning("Bad Request: /x", extra={"status_code": 400})
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("WARNING", "Bad Request: /x")]
