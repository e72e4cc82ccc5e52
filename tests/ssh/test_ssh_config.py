"""The ssh_* keys of the INI file, read as Kallithea read them."""

import os
import sys

import pytest

from lindos.config import ConfigError, load_config
from tests.test_config import write_ini
from tests.test_kallithea_ini import kallithea_ini


def test_kallithea_file_ssh_keys(tmp_path):
    cfg = load_config(str(kallithea_ini(tmp_path, "sqlite")))
    assert cfg.ssh_enabled is False
    assert cfg.ssh_authorized_keys == "/home/kallithea/.ssh/authorized_keys"
    assert cfg.ssh_locale == "C.UTF-8"
    assert cfg.kallithea_cli_path == "/srv/kallithea/venv/bin/kallithea-cli"  # to be pointed at lindos
    enabled = kallithea_ini(
        tmp_path,
        "sqlite",
        edit=lambda t: t.replace("ssh_enabled = false", "ssh_enabled = true").replace(
            "kallithea_cli_path = /srv/kallithea/venv/bin/kallithea-cli",
            "kallithea_cli_path = /srv/lindos/bin/lindos",
        ),
    )
    cfg = load_config(str(enabled))
    assert cfg.ssh_enabled is True and cfg.kallithea_cli_path == "/srv/lindos/bin/lindos"


def test_defaults(tmp_path):
    cfg = load_config(write_ini(tmp_path))
    assert cfg.ssh_enabled is False
    assert cfg.ssh_authorized_keys == os.path.expanduser("~/.ssh/authorized_keys")
    beside = os.path.join(os.path.dirname(sys.executable), "lindos")
    assert cfg.kallithea_cli_path == (beside if os.path.exists(beside) else "lindos")
    assert cfg.ssh_locale == ""
    assert cfg.clone_ssh_tmpl == "ssh://{system_user}@{hostname}/{repo}"


@pytest.mark.parametrize(
    "line, message",
    [
        ("ssh_enabled = maybe", "ssh_enabled = 'maybe': expected true or false"),
    ],
)
def test_bad_values(tmp_path, line, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write_ini(tmp_path, app=line))


def test_relative_and_home_paths(tmp_path):
    cfg = load_config(
        write_ini(
            tmp_path,
            app="ssh_authorized_keys = %(here)s/keys/authorized_keys\n"
            "clone_ssh_tmpl = {system_user}@{hostname}:{repo}",
        )
    )
    assert cfg.ssh_authorized_keys == str(tmp_path / "keys" / "authorized_keys")
    assert cfg.clone_ssh_tmpl == "{system_user}@{hostname}:{repo}"
