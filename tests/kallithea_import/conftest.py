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
