from tests.kallithea_import.conftest import *  # noqa: F403  (the fixtures of the import tests)
