"""The key table: every key Lindos reads is declared in it, and reading any
other key fails."""

import ast
from pathlib import Path

import pytest

from lindos import config_docs, config_keys
from lindos.config import _Reader
from lindos.config_keys import KEYS, KNOWN_KEYS, SERVER_KEYS

LINDOS = Path(__file__).resolve().parent.parent / "lindos"


def _key_reads(tree: ast.AST):
    """(key, line) for each literal key read from an INI file: reader.raw("k"),
    reader.server("k"), parse_*(reader, "k", ...), and "k" in / [..] of config.raw."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func, args = node.func, node.args
            if isinstance(func, ast.Attribute) and func.attr in ("raw", "server", "error"):
                receiver = func.value
                if isinstance(receiver, ast.Name) and receiver.id in ("reader", "self") and args:
                    if isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                        yield args[0].value, node.lineno
            elif isinstance(func, ast.Name) and func.id.startswith("parse_") and len(args) >= 2:
                if isinstance(args[0], ast.Name) and args[0].id == "reader":
                    if isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
                        yield args[1].value, node.lineno
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant):
            if any(isinstance(c, ast.Attribute) and c.attr in ("raw", "values") for c in node.comparators):
                yield node.left.value, node.lineno
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            if node.value.attr in ("raw", "values") and isinstance(node.slice, ast.Constant):
                yield node.slice.value, node.lineno


def _all_key_reads():
    for path in sorted(LINDOS.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for key, line in _key_reads(tree):
            if isinstance(key, str):
                yield key, f"{path.relative_to(LINDOS.parent)}:{line}"


def test_the_code_reads_no_key_missing_from_the_table():
    reads = list(_all_key_reads())
    # The scan finds the reads it is meant to (it would pass vacuously otherwise).
    found = {key for key, _where in reads}
    assert {"smtp_port", "sqlalchemy.url", "port", "workers", "allowed_hosts", "hg.evolution"} <= found
    missing = [f"{where}: {key}" for key, where in reads if key not in KNOWN_KEYS and key not in SERVER_KEYS]
    assert missing == []


def test_every_key_in_the_table_is_read():
    """A key the table lists but no code reads is a promise Lindos does not keep."""
    found = {key for key, _where in _all_key_reads()}
    # Read by name outside a literal call: the celery.* keys (lindos.config
    # hands them to Celery), the proxy options (passed to waitress in a loop).
    indirect = {"celery.broker_url", "celery.sweep_interval", *config_keys.SERVER_PROXY_KEYS}
    unread = [k.name for k in KEYS if not k.is_prefix and k.name not in found | indirect]
    assert unread == []


def test_reading_a_key_absent_from_the_table_fails(tmp_path):
    path = tmp_path / "a.ini"
    path.write_text("[app:main]\nno_such_key = 1\n[server:main]\nno_such_option = 2\n")
    reader = _Reader(str(path))
    with pytest.raises(KeyError):
        reader.raw("no_such_key")
    with pytest.raises(KeyError):
        reader.server("no_such_option")
    assert reader.raw("smtp_timeout") == "30"
    assert reader.server("port") == "5000"


def test_the_table_is_well_formed():
    seen = set()
    for key in KEYS:
        assert (key.section, key.name) not in seen, key.name
        seen.add((key.section, key.name))
        assert key.section in (config_keys.DEFAULT, config_keys.APP, config_keys.SERVER)
        assert key.write in (config_keys.LIVE, config_keys.COMMENTED, config_keys.OMITTED)
        assert key.readme in config_docs.TABLES
        assert key.doc and "\n" not in key.doc, key.name
        # A [DEFAULT] and an [app:main] key are one key (the files merge them).
    names = [k.name for k in KEYS if k.section != config_keys.SERVER]
    assert len(names) == len(set(names))
    assert set(config_keys.SERVER_PROXY_KEYS) == {
        "trusted_proxy",
        "trusted_proxy_count",
        "trusted_proxy_headers",
        "clear_untrusted_proxy_headers",
    }
