"""The changeset list's rows, built in Python, are the HTML the template
loop they replace wrote (kept here as the reference)."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.utils import timezone

from lindos.repos.browse.rows import build_change_row

# The loop body of repos/browse/_changes_table.html before the rows were
# built in Python (the review badge stands in as `badge`).
REFERENCE = (
    "{% for row in rows %}\n"
    "    <tr>\n"
    '      <td class="mono"><a href="{{ row.url }}">{{ row.short_id }}</a></td>\n'
    "      <td>{{ row.summary|truncatechars:120 }}{% if row.branch %} "
    '<span class="badge">{{ row.branch }}</span>{% endif %}{% for tag in row.tags %} '
    '<span class="badge badge-ok">{{ tag }}</span>{% endfor %}{% if row.phase and row.phase != "public" %} '
    '<span class="badge phase-{{ row.phase }}" title="Mercurial phase">{{ row.phase }}</span>{% endif %}'
    "{{ badge|safe }}\n</td>\n"
    '      <td title="{{ row.author_full }}">{{ row.author }}</td>\n'
    '      <td class="nowrap" title="{{ row.date|date:\'Y-m-d H:i:s O\' }}">{{ row.date|date:"Y-m-d H:i" }}</td>\n'
    "    </tr>\n  {% endfor %}"
)

UTC = datetime.UTC
PLUS_0530 = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


def _row(**changes):
    row = {
        "url": "/group/project/changeset/abc",
        "short_id": "abc",
        "summary": "Fix <b>bold</b> & \"quotes\" 'too'",
        "author": "Zoë <z@example.com>",
        "author_full": "Zoë Ærøskøbing <zoe@example.dk>",
        "date": datetime.datetime(2017, 10, 9, 6, 4, 34, tzinfo=UTC),
        "branch": "master",
        "tags": ["v1.0", "<tag>"],
        "phase": "public",
    }
    row.update(changes)
    return row


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"summary": "x" * 119 + "é"},
        {"summary": "y" * 200},
        {"summary": "e\u0301" * 130},  # combining accents: NFC, then counted
        {"summary": "cafe\u0301"},
        {"branch": None, "tags": [], "phase": "draft"},
        {"phase": "secret", "branch": "feature/<x>"},
        {"date": datetime.datetime(2020, 2, 29, 23, 59, 1, tzinfo=PLUS_0530)},
        {"date": datetime.datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)},
        {"date": None},
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
def test_rows_match_the_former_template(changes, zone):
    row = _row(**changes)
    badge = ' <a class="badge status-approved review-status" href="x#comments" title="a: b">Approved</a>'
    template = engines["django"].from_string(REFERENCE)
    with timezone.override(zone):
        expected = template.render({"rows": [row], "badge": badge})
        assert build_change_row(row, badge) == expected


# The loop of repos/browse/files_dir.html before the rows were built in Python.
ENTRY_REFERENCE = (
    "{% for e in entries %}\n"
    '    <tr class="entry-{{ e.kind }}">\n'
    '      <td class="mono">{% if e.kind == "dir" %}<a href="{{ e.url }}">{{ e.name }}/</a>'
    '{% elif e.kind == "submodule" %}{{ e.name }} @ {{ e.target }}{% else %}<a href="{{ e.url }}">{{ e.name }}</a>'
    "{% endif %}</td>\n"
    '      <td class="nowrap">{{ e.size }}</td>\n'
    '      {% if e.change %}<td class="mono"><a href="{{ e.change_url }}">{{ e.change.short_id }}</a></td>\n'
    "      <td>{{ e.change.summary|truncatechars:80 }}</td>\n"
    '      <td class="nowrap" title="{{ e.change.date|date:\'Y-m-d H:i:s O\' }}">'
    '{{ e.change.date|date:"Y-m-d H:i" }}</td>{% else %}<td colspan="3" class="muted">…</td>{% endif %}\n'
    "    </tr>\n  {% endfor %}"
)


def _entry(**changes):
    entry = {
        "name": "a <b>&'\".txt",
        "kind": "file",
        "url": "/p/files/tip/a%20%3Cb%3E",
        "size": "3.8 KiB",
        "change": {
            "short_id": "abc123",
            "summary": "Fix <i>it</i> & more",
            "date": datetime.datetime(2017, 10, 9, 6, 4, 34, tzinfo=UTC),
        },
        "change_url": "/p/changeset/abc123",
    }
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"kind": "dir", "size": ""},
        {"kind": "submodule", "url": None, "target": "0123456789ab", "size": ""},
        {"change": None, "change_url": None},
        {
            "change": {
                "short_id": "d",
                "summary": "z" * 81,
                "date": datetime.datetime(2001, 1, 1, tzinfo=PLUS_0530),
            }
        },
        {
            "change": {
                "short_id": "d",
                "summary": "o\u0308" * 80,
                "date": datetime.datetime(2001, 1, 1, tzinfo=UTC),
            }
        },
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns"])
def test_entry_rows_match_the_former_template(changes, zone):
    from lindos.repos.browse.rows import build_entry_row

    entry = _entry(**changes)
    with timezone.override(zone):
        expected = engines["django"].from_string(ENTRY_REFERENCE).render({"entries": [entry]})
        assert build_entry_row(entry) == expected
