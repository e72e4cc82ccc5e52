"""README.md's key tables are the ones the key table builds."""

import subprocess
import sys
from pathlib import Path

import pytest

from lindos.config_docs import build_row, build_table, main, render_readme
from lindos.config_keys import KEYS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def test_readme_key_tables_are_generated_from_the_table():
    text = README.read_text(encoding="utf-8")
    assert render_readme(text) == text, "README.md is stale: run scripts/gen-config-docs"


def test_every_key_has_a_row_in_its_readme_table():
    text = README.read_text(encoding="utf-8")
    for key in KEYS:
        assert build_row(key) + "\n" in text, key.name
    assert build_table("email").count("\n") == 2 + sum(1 for k in KEYS if k.readme == "email")


def test_a_stale_readme_is_reported_then_rewritten(tmp_path):
    stale = README.read_text(encoding="utf-8").replace(
        "| `smtp_timeout` | `30` |", "| `smtp_timeout` | `31` |"
    )
    path = tmp_path / "README.md"
    path.write_text(stale, encoding="utf-8")
    assert main(["--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == stale
    assert main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == README.read_text(encoding="utf-8")


def test_the_script_checks_the_repositorys_readme():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen-config-docs"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_readme_without_markers_is_refused():
    with pytest.raises(ValueError, match="config-keys:main"):
        render_readme("# A README\n")
