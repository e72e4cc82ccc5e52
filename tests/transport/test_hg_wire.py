"""Reading the wire command of an hg request, and whether it writes."""

import pytest

from lindos.transport.hg_wire import (
    batch_commands,
    is_hg_push,
    is_wire_command,
    needs_write,
    wire_arguments,
    wire_command,
)


def env(query="", **headers):
    return {"QUERY_STRING": query, **{f"HTTP_{k}": v for k, v in headers.items()}}


@pytest.mark.parametrize(
    "query, cmd",
    [
        ("cmd=capabilities", "capabilities"),
        ("x=1&cmd=heads&cmd=unbundle", "heads"),
        ("", None),
        ("cmdx=1", None),
        ("cmd=", ""),
    ],
)
def test_wire_command(query, cmd):
    assert wire_command(env(query)) == cmd


@pytest.mark.parametrize(
    "cmd, known",
    [
        ("capabilities", True),
        ("unbundle", True),
        ("getbundle", True),
        ("batch", True),
        ("changelog", False),
        ("file", False),
        ("static", False),
        ("", False),
        (None, False),
        ("x" * 500, False),
        ("caf\xe9", False),
    ],
)
def test_is_wire_command(cmd, known):
    assert is_wire_command(cmd) is known


@pytest.mark.parametrize(
    "query, write",
    [
        ("cmd=capabilities", False),
        ("cmd=getbundle", False),
        ("cmd=listkeys", False),
        ("cmd=unbundle", True),
        ("cmd=pushkey", True),
        ("cmd=nonsense", True),
        ("", False),
    ],
)
def test_needs_write(query, write):
    assert needs_write(env(query)) is write
    assert is_hg_push(env(query)) is write


def test_batch_arguments_from_headers_and_query():
    headers = {"X_HGARG_1": "cmds=heads+%3Bkno", "X_HGARG_2": "wn+nodes%3D"}
    assert wire_arguments(env("cmd=batch", **headers)) == {"cmds": "heads ;known nodes="}
    assert batch_commands(env("cmd=batch", **headers)) == ["heads", "known"]
    assert batch_commands(env("cmd=batch&cmds=heads+%3Blistkeys+namespace%3Dphases")) == ["heads", "listkeys"]
    assert not needs_write(env("cmd=batch", **headers))


def test_batch_with_a_push_command_writes():
    assert needs_write(env("cmd=batch&cmds=heads+%3Bpushkey+namespace%3Dbookmarks"))
    assert is_hg_push(env("cmd=batch&cmds=heads+%3Bpushkey+namespace%3Dbookmarks"))


@pytest.mark.parametrize("query", ["cmd=batch", "cmd=batch&cmds=heads", "cmd=batch&cmds=%3B"])
def test_unreadable_batch_counts_as_write(query):
    assert batch_commands(env(query)) is None
    assert needs_write(env(query))
