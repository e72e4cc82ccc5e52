import django

# pytest-django sets Django up only once the first test runs; these test
# modules import models at the top, so do it now (it is idempotent).
django.setup()

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401
