import pytest

from tests.background.harness import LindosHome, SmtpSink
from tests.smtpd import smtp_server_factory  # noqa: F401  (a fixture: the real SMTP server)


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def make_home(tmp_path):
    """Build Lindos installations; every process they started is stopped
    at the end of the test."""
    homes = []

    def make(database_url, **kwargs):
        home = LindosHome(tmp_path / f"home{len(homes)}", database_url, **kwargs)
        homes.append(home)
        return home

    yield make
    for home in homes:
        home.stop_all()
        for process in home.processes:  # shown by pytest when the test failed
            print(f"--- {process.name} (exit {process.proc.returncode}) ---\n{process.log()[-4000:]}")
