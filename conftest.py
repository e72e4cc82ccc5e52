"""Test-wide set-up: every test process gets its own configuration file in a
temporary folder, written by the same code as ``lindos config-create``."""

import os
import tempfile

_home = tempfile.mkdtemp(prefix="lindos-test-")
_config = os.path.join(_home, "lindos.ini")
if not os.environ.get("LINDOS_CONFIG"):
    from lindos.cli.config_create import render_config

    with open(_config, "w") as fh:
        fh.write(render_config({
            "app_email_from": "Lindos <lindos-noreply@example.com>",
            "email_to": "ops@example.com",
            "canonical_url": "http://lindos.example.com",
        }))
    os.environ["LINDOS_CONFIG"] = _config
os.environ["LINDOS_TEST_FAST_PASSWORDS"] = "1"
# Set here rather than in pyproject.toml: pytest-django must not load the
# settings before this file has written the configuration they are read from.
os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.settings"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
