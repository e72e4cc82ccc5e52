"""Test-wide set-up: every test process gets its own configuration file in a
temporary folder, written by the same code as ``lindos config-create``."""

import os
import tempfile

import pytest

_home = tempfile.mkdtemp(prefix="lindos-test-")
_config = os.path.join(_home, "lindos.ini")
if not os.environ.get("LINDOS_CONFIG"):
    from lindos.cli.config_create import render_config

    with open(_config, "w") as fh:
        fh.write(
            render_config(
                {
                    "app_email_from": "Lindos <lindos-noreply@example.com>",
                    "email_to": "ops@example.com",
                    "canonical_url": "http://lindos.example.com",
                }
            )
        )
    os.environ["LINDOS_CONFIG"] = _config
os.environ["LINDOS_TEST_FAST_PASSWORDS"] = "1"
# Set here rather than in pyproject.toml: pytest-django must not load the
# settings before this file has written the configuration they are read from.
os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.settings"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _start_django():
    # pytest-django looks for DJANGO_SETTINGS_MODULE before this file runs, so
    # it would not start Django itself; do it here, now that the INI exists
    # (and before any folder's conftest imports a model).
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and "NAME" not in db.get("TEST", {}):
        # A file, not Django's in-memory default: an in-memory database is
        # never really closed, which would hide connections left open (the
        # start-up tests look for exactly that), and threads share it oddly.
        db["TEST"] = {**db.get("TEST", {}), "NAME": os.path.join(_home, "test.db")}
    django.setup()
    from lindos.config import ensure_data_folders

    ensure_data_folders(settings.LINDOS)  # as lindos serve does before it starts


_start_django()


@pytest.fixture(autouse=True)
def _forget_app_settings():
    """Application settings are cached per process; a test that changed them
    must not hand its site title or registration mode to the next test."""
    yield
    from lindos.appsettings.current import forget_app_settings
    from lindos.externalauth.current import forget_auth_settings

    forget_app_settings()
    forget_auth_settings()


def pytest_configure(config):
    # pytest-xdist's workers inherit this process's environment when they
    # start.  With DJANGO_SETTINGS_MODULE and LINDOS_CONFIG already set,
    # pytest-django would load the controller's settings in each worker
    # before this file could write the worker's own configuration, and the
    # workers would share one database, cache and repository folder.
    if getattr(config.option, "dist", "no") != "no" and "PYTEST_XDIST_WORKER" not in os.environ:
        os.environ.pop("DJANGO_SETTINGS_MODULE", None)
        if os.environ.get("LINDOS_CONFIG") == _config:  # one given from outside is shared on purpose
            os.environ.pop("LINDOS_CONFIG")
