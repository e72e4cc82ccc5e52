"""README.md's key tables, built from `lindos.config_keys`.

Each table stands in README.md between ``<!-- config-keys:NAME -->`` and
``<!-- /config-keys:NAME -->``; ``scripts/gen-config-docs`` rewrites
them (``--check`` only reports a stale README, exit status 1).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lindos.config_keys import KEYS, SERVER

TABLES = ("main", "email", "ssh", "feeds", "gists")
# Rows that are not keys but belong in the main table.
TRAILING_ROWS = {
    "main": [
        "| `[loggers]`, `[handlers]`, `[formatters]` | | Python logging configuration, honoured as in Kallithea |"
    ]
}


def build_row(key) -> str:
    name = f"`[{SERVER}] {key.name}`" if key.section == SERVER else f"`{key.name}`"
    if key.shown_default:
        default = key.shown_default
    elif key.is_prefix:
        default = ""
    else:
        default = f"`{key.default}`" if key.default else "(none)"
    # A "|" inside a cell would end it.
    cells = [cell.replace("|", "\\|") for cell in (name, default, key.doc)]
    return ("| " + " | ".join(cells) + " |").replace("|  |", "| |")


def build_table(table: str) -> str:
    """The Markdown table of one README group of keys, in the table's order."""
    rows = ["| key | default | meaning |", "|---|---|---|"]
    rows += [build_row(key) for key in KEYS if key.readme == table]
    rows += TRAILING_ROWS.get(table, [])
    return "\n".join(rows) + "\n"


def _region(table: str) -> re.Pattern:
    return re.compile(
        rf"(<!-- config-keys:{table} -->\n)(.*?)(<!-- /config-keys:{table} -->)",
        re.DOTALL,
    )


def render_readme(text: str) -> str:
    """`text` (README.md) with every marked key table rebuilt."""
    for table in TABLES:
        pattern = _region(table)
        if not pattern.search(text):
            raise ValueError(f"README.md has no <!-- config-keys:{table} --> region")
        text = pattern.sub(lambda m, t=table: m.group(1) + build_table(t) + m.group(3), text, count=1)
    return text


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    path = Path(paths[0]) if paths else Path("README.md")
    text = path.read_text(encoding="utf-8")
    new = render_readme(text)
    if new == text:
        return 0
    if check:
        print(f"{path}: key tables differ from lindos/config_keys.py; run scripts/gen-config-docs")
        return 1
    path.write_text(new, encoding="utf-8")
    print(f"{path}: key tables rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
