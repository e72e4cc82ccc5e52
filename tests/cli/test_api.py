"""``lindos api``: kallithea-api's command line against a live server."""

import json
import os
import stat

import pytest

from lindos.cli import main
from lindos.cli.api import parse_args
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401
from tests.transport.conftest import server_url  # noqa: F401  (fixture)


def test_values_read_as_json_else_text():
    assert parse_args(
        ["repoid:12", "private:true", "description:hello: world", 'add:["a","b"]', "name:", "x:null"]
    ) == {
        "repoid": 12,
        "private": True,
        "description": "hello: world",
        "add": ["a", "b"],
        "name": "",
        "x": None,
    }
    with pytest.raises(ValueError):
        parse_args(["novalue"])


def test_calls_print_the_result(server_url, make_user, make_repo, capsys):
    alice = make_user("alice")
    make_repo("proj", owner=alice)
    assert (
        main(
            [
                "api",
                "--apihost",
                server_url + "/",
                "--apikey",
                alice.api_key,
                "--format",
                "json",
                "get_repo",
                "repoid:proj",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["repo_name"] == "proj"
    assert main(["api", "--apihost", server_url, "--apikey", alice.api_key, "get_repo"]) == 1
    assert capsys.readouterr().err.strip() == 'ERROR:"Missing non optional `repoid` arg in JSON DATA"'


def test_save_config_then_use_it(server_url, make_user, tmp_path, capsys):
    alice = make_user("alice")
    path = tmp_path / "conf" / "kallithea"
    assert (
        main(
            [
                "api",
                "--config",
                str(path),
                "--save-config",
                "--apihost",
                server_url,
                "--apikey",
                alice.api_key,
            ]
        )
        == 0
    )
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert main(["api", "--config", str(path), "get_user"]) == 0
    assert '"username": "alice"' in capsys.readouterr().out


def test_usage_errors(tmp_path, capsys):
    missing = str(tmp_path / "none")
    assert main(["api", "--config", missing, "get_user"]) == 1
    assert "give --apihost and --apikey" in capsys.readouterr().err
    assert (
        main(["api", "--config", missing, "--apihost", "http://127.0.0.1:9", "--apikey", "k", "get_user"])
        == 1
    )
    assert "cannot reach http://127.0.0.1:9" in capsys.readouterr().err
    assert main(["api", "--config", missing, "--apihost", "http://x", "--apikey", "k"]) == 1
    assert "name the METHOD" in capsys.readouterr().err
    assert main(["api", "--config", missing, "--save-config"]) == 1
