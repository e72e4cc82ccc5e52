"""Settings for ``ssh-serve`` on a clone or fetch over SSH.

A clone is decided by three tables (users, keys, repositories and their
permissions) and then handed to ``git upload-pack``; loading every app
(review, notifications, their templates and Pygments) would cost more
than the check itself, once per connection. Pushes and hg use the full
settings: a push must reach the review app and the mail pipeline.
"""

from lindos.settings import *  # noqa: F401,F403

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "lindos.accounts",
    "lindos.repos",
    "lindos.ssh",
    "lindos.ipaccess",
]
