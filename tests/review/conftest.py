"""Fixtures for code review: real git repositories (built with the real
``git`` through lindos.vcs.testing) registered as repositories, users with
addresses, and helpers to read the outbox.

    project (owned by olga, public), branch master:
      0  Initial import, by alice: README.md, src/app.py (6 lines)
      1  Second change, by someone without an account: src/app.py
    branch feature (from 1):
      2  Feature one, by bob: feature.txt
      3  Feature two, by bob: src/app.py
"""

from __future__ import annotations

import dataclasses
from email import message_from_string, policy

import django
import pytest

django.setup()

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: E402,F401

APP_V0 = "import os\n\n\ndef main():\n    return 1\n\nmain()\n"
APP_V1 = APP_V0.replace("return 1", "return 2")
APP_V2 = APP_V1 + "print('feature')\n"

HISTORY = [
    {
        "message": "Initial import",
        "author": "Alice Liddell <alice@example.com>",
        "files": {"README.md": "# Project\n", "src/app.py": APP_V0},
    },
    {
        "message": "Second change\n\nWith a body.",
        "author": "Stranger <stranger@example.org>",
        "files": {"src/app.py": APP_V1},
    },
    {
        "message": "Feature one",
        "author": "Bob Builder <bob@example.com>",
        "branch": "feature",
        "files": {"feature.txt": "one\n"},
    },
    {
        "message": "Feature two",
        "author": "Bob Builder <bob@example.com>",
        "branch": "feature",
        "files": {"src/app.py": APP_V2},
    },
]


@dataclasses.dataclass
class Project:
    row: object
    ids: list

    @property
    def name(self):
        return self.row.name

    def url(self, tail=""):
        return f"/{self.name}" + (f"/{tail}" if tail else "")


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS,
        canonical_url="https://lindos.example.com",
        app_email_from="Lindos <lindos@example.com>",
        email_prefix="[Lindos]",
        email_to=("ops@example.com",),
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def people(make_user):
    """olga owns the project; alice and bob wrote commits; carol and dave review."""
    made = {
        name: make_user(name, password=f"{name}-pw") for name in ("olga", "alice", "bob", "carol", "dave")
    }
    made["admin"] = make_user("admin", password="admin-pw", admin=True)
    for name, full in (("alice", "Alice Liddell"), ("bob", "Bob Builder")):
        first, last = full.split()
        made[name].first_name, made[name].last_name = first, last
        made[name].save()
    return made


@pytest.fixture
def project(repo_root, people):
    from lindos.repos.models import Repository
    from lindos.vcs.testing import make_git_repo

    ids = make_git_repo(repo_root / "project", HISTORY)
    row = Repository.objects.create(name="project", kind="git", owner=people["olga"])
    return Project(row, ids)


def outbox(**filters):
    """The outbox rows, oldest first, as (to, subject, type, message), once
    the worker expanded every notification recorded so far."""
    from tests.mail_helpers import outbox_after

    return [(m.envelope_to, m.subject, m.notification_type, m.message) for m in outbox_after(**filters)]


def recipients(rows) -> list[str]:
    return sorted(r[0] for r in rows)


def parsed(message: str):
    return message_from_string(message, policy=policy.default)


def clear_outbox():
    """Forget every mail recorded so far (expanded first, so none comes back)."""
    from lindos.notifications.models import OutboxMail
    from tests.mail_helpers import expand

    expand()
    OutboxMail.objects.all().delete()
