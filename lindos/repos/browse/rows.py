"""The rows of list tables: changeset lists (changelog, the summary's
latest changes) and directory listings.

Built as one string in Python, like the file view's line table: a template
loop with a per-row include and four filters per row was most of the CPU
time of a changelog page. The HTML is the templates', byte for byte
(tests/browse/test_rows.py renders the former template loops beside them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime


def _dates(value) -> tuple[str, str]:
    """``Y-m-d H:i:s O`` and ``Y-m-d H:i`` of the date filter, in the
    current time zone as a template shows them. strftime gives the same
    text for these fields at a tenth of the cost of Django's formatter."""
    if value is None:
        return "", ""
    local = template_localtime(value)
    offset = local.strftime("%z")[:5]  # the filter's O: +HHMM, empty when naive
    day = f"{local.year:04d}-{local:%m-%d %H:%M}"  # the filter pads years before 1000
    return f"{day}:{local:%S} {offset}", day


def _summary(text: str, length: int = 120) -> str:
    """``truncatechars:LENGTH``, which also puts short text in NFC form."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return truncatechars(text, length)


def build_change_row(row: dict, badge: str) -> str:
    """One row (a dict from ``common.changeset_row``); ``badge`` is the
    review status HTML after the message (already escaped)."""
    message = esc(_summary(row["summary"]))
    if row["branch"]:
        message += f' <span class="badge">{esc(row["branch"])}</span>'
    for tag in row["tags"]:
        message += f' <span class="badge badge-ok">{esc(tag)}</span>'
    phase = row["phase"]
    if phase and phase != "public":
        message += f' <span class="badge phase-{esc(phase)}" title="Mercurial phase">{esc(phase)}</span>'
    full_date, short_date = _dates(row["date"])
    return (
        "\n    <tr>\n"
        f'      <td class="mono"><a href="{esc(row["url"])}">{esc(row["short_id"])}</a></td>\n'
        f"      <td>{message}{badge}\n</td>\n"
        f'      <td title="{esc(row["author_full"])}">{esc(row["author"])}</td>\n'
        f'      <td class="nowrap" title="{full_date}">{short_date}</td>\n'
        "    </tr>\n  "
    )


def render_change_rows(rows: list[dict], badge_for: Callable[[dict], str]) -> str:
    """The ``<tr>`` rows of the table, each with ``badge_for(row)``."""
    return mark_safe("".join(build_change_row(row, badge_for(row)) for row in rows))


def build_entry_row(entry: dict) -> str:
    """One row of a directory listing (a dict from ``files._entry_rows``)."""
    kind, name = entry["kind"], esc(entry["name"])
    if kind == "dir":
        name_cell = f'<a href="{esc(entry["url"])}">{name}/</a>'
    elif kind == "submodule":
        name_cell = f"{name} @ {esc(entry['target'])}"
    else:
        name_cell = f'<a href="{esc(entry["url"])}">{name}</a>'
    change = entry["change"]
    if change:
        full_date, short_date = _dates(change["date"])
        change_cells = (
            f'<td class="mono"><a href="{esc(entry["change_url"])}">{esc(change["short_id"])}</a></td>\n'
            f"      <td>{esc(_summary(change['summary'], 80))}</td>\n"
            f'      <td class="nowrap" title="{full_date}">{short_date}</td>'
        )
    else:
        change_cells = '<td colspan="3" class="muted">\u2026</td>'
    return (
        f'\n    <tr class="entry-{esc(kind)}">\n'
        f'      <td class="mono">{name_cell}</td>\n'
        f'      <td class="nowrap">{esc(entry["size"])}</td>\n'
        f"      {change_cells}\n"
        "    </tr>\n  "
    )


def render_entry_rows(entries: list[dict]) -> str:
    return mark_safe("".join(build_entry_row(entry) for entry in entries))
