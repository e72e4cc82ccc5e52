import django
import pytest

django.setup()

from tests.kallithea_import.fixtures_kallithea import (  # noqa: E402,F401
    imported,
    kallithea_ini,
    kallithea_manifest,
    sqlite_fixture,
)
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401
