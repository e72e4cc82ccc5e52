"""Every mail type rendered, compared byte for byte with golden files.

After an intended change, regenerate and review the diff:

    LINDOS_REGENERATE_GOLDEN=1 python -m pytest tests/notifications/test_golden.py
"""

import dataclasses
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lindos.notifications.compose import compose_mails
from lindos.notifications.samples import samples

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("LINDOS_REGENERATE_GOLDEN") == "1"
NOW = datetime(2024, 5, 17, 9, 30, 0, tzinfo=timezone.utc)


def rendered(name, base_config):
    config = dataclasses.replace(base_config, canonical_url="https://code.example.org",
                                 app_email_from="Lindos <lindos@example.org>",
                                 error_email_from="Lindos Errors <errors@example.org>",
                                 email_prefix="[lindos]")
    facts, recipient = samples()[name]
    [mail] = compose_mails(facts, [recipient], config, now=NOW,
                           message_id=lambda r: f"<golden.{name}@code.example.org>")
    return (f"X-Envelope-From: {mail.envelope_from}\nX-Envelope-To: {mail.envelope_to}\n"
            + mail.message)


@pytest.mark.parametrize("name", sorted(samples()))
def test_golden(name, settings):
    path = GOLDEN / f"{name}.eml"
    text = rendered(name, settings.LINDOS)
    if REGENERATE:
        path.write_bytes(text.encode())
    assert path.exists(), f"no golden file: run with LINDOS_REGENERATE_GOLDEN=1"
    assert text.encode() == path.read_bytes()


def test_no_stray_golden_files():
    assert sorted(p.stem for p in GOLDEN.glob("*.eml")) == sorted(samples())
