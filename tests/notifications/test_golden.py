"""Every mail type rendered, compared byte for byte with golden files.

After an intended change, regenerate and review the diff:

    LINDOS_REGENERATE_GOLDEN=1 python -m pytest tests/notifications/test_golden.py
"""

import dataclasses
import os
from datetime import UTC, datetime, timezone
from email import message_from_string, policy
from pathlib import Path

import pytest

from lindos.notifications.compose import compose_mails
from lindos.notifications.samples import samples

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("LINDOS_REGENERATE_GOLDEN") == "1"
NOW = datetime(2024, 5, 17, 9, 30, 0, tzinfo=UTC)


def rendered(name, base_config):
    config = dataclasses.replace(
        base_config,
        canonical_url="https://code.example.org",
        app_email_from="Lindos <lindos@example.org>",
        error_email_from="Lindos Errors <errors@example.org>",
        email_prefix="[lindos]",
    )
    facts, recipient = samples()[name]
    [mail] = compose_mails(
        facts,
        [recipient],
        config,
        now=NOW,
        title="Example Code",
        message_id=lambda r: f"<golden.{name}@code.example.org>",
    )
    return f"X-Envelope-From: {mail.envelope_from}\nX-Envelope-To: {mail.envelope_to}\n" + mail.message


def decoded(message: str) -> tuple[str, str]:
    """The text and HTML bodies as a reader sees them (the .eml is
    quoted-printable): kept beside each golden file for review."""
    parsed = message_from_string(message, policy=policy.default)
    return (parsed.get_body(("plain",)).get_content(), parsed.get_body(("html",)).get_content())


@pytest.mark.parametrize("name", sorted(samples()))
def test_golden(name, settings):
    text = rendered(name, settings.LINDOS)
    files = {GOLDEN / f"{name}.eml": text}
    body_text, body_html = decoded(text)
    files[GOLDEN / f"{name}.txt"] = body_text
    files[GOLDEN / f"{name}.html"] = body_html
    for path, content in files.items():
        if REGENERATE:
            path.write_bytes(content.encode())
        assert path.exists(), f"no golden file {path.name}: run with LINDOS_REGENERATE_GOLDEN=1"
        assert content.encode() == path.read_bytes(), path.name


def test_no_stray_golden_files():
    for ext in ("eml", "txt", "html"):
        assert sorted(p.stem for p in GOLDEN.glob(f"*.{ext}")) == sorted(samples())
