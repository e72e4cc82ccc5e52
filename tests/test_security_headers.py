"""Content-Security-Policy on HTML pages and HSTS on https sites
(lindos/security_headers.py), and templates that need no inline script."""

import dataclasses
import pathlib
import re

import pytest

from lindos.security_headers import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

LINDOS = pathlib.Path(__file__).resolve().parent.parent / "lindos"
# Mail templates are not pages: mail clients need inline styles.
PAGE_TEMPLATES = [p for p in LINDOS.rglob("templates/**/*.html") if "/mail/" not in str(p)]


def test_html_pages_forbid_inline_script(client):
    for path in ("/", "/_admin/login", "/_admin/password_reset", "/no-such-repository"):
        response = client.get(path)
        assert response["Content-Type"].startswith("text/html"), path
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY


def test_other_answers_keep_their_own_policy_or_none(client):
    static = client.get("/_static/lindos.js")
    assert static.status_code == 200 and "Content-Security-Policy" not in static


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(LINDOS)))
def test_templates_have_no_inline_script_handlers_or_styles(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text, re.IGNORECASE), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text, re.IGNORECASE), "style attribute"
    assert "javascript:" not in text.lower()


@pytest.mark.parametrize(
    "canonical, hsts",
    [("https://code.example.com", "max-age=31536000"), ("http://code.example.com", None), ("", None)],
)
def test_hsts_only_when_canonical_url_is_https(client, settings, canonical, hsts):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, canonical_url=canonical)
    for path in ("/", "/_static/lindos.css"):
        assert client.get(path).get("Strict-Transport-Security") == hsts, path


def test_a_forged_host_is_answered_400_with_the_policy(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
