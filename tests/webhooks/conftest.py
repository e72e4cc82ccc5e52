import dataclasses
import socket

import pytest

from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401
from tests.transport.conftest import git, server_url  # noqa: F401  (fixtures)
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    started = []

    def start(**kwargs):
        r = Receiver(**kwargs)
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


@pytest.fixture
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def allow_loopback(settings):
    """Tests deliver to receivers on 127.0.0.1, which production refuses."""
    settings.LINDOS = dataclasses.replace(
        settings.LINDOS, webhook_allow_private_addresses=True, webhook_timeout=2.0
    )
