import django
import pytest

django.setup()

from tests.kallithea_import.fixtures_kallithea import (  # noqa: E402,F401
    engine,
    imported,
    kallithea_ini,
    kallithea_manifest,
    kallithea_rows,
    kallithea_url,
    sqlite_fixture,
    sqlite_ini,
)
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401
from tests.transport.conftest import git, server_url  # noqa: E402,F401


@pytest.fixture
def hg(tmp_path):
    from tests.hgclient import hg_client

    return hg_client(tmp_path / "hghome", "Bob Builder <bob@example.com>")


@pytest.fixture(autouse=True)
def _settings_forgotten_after():
    """An import puts Kallithea's settings (anonymous access off...) in
    effect in this process at once: the next test starts with the defaults."""
    yield
    from lindos.appsettings.current import forget_app_settings
    from lindos.externalauth.current import forget_auth_settings

    forget_app_settings()
    forget_auth_settings()
