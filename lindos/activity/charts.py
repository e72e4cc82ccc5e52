"""What the statistics page draws, from a repository's counted activity
(``RepositoryStatistics.activity``): pure functions, no I/O.

* ``timeline``: commits per week (per month when the history spans more
  than two years), one series for each of the ``TOP_AUTHORS`` most active
  authors and one for everybody else, so the chart shows activity over
  time and who made it;
* ``authors``: the ``TABLE_AUTHORS`` most active authors with their
  commits and first and last day, for the author chart and the table.
"""

from __future__ import annotations

import datetime

TOP_AUTHORS = 5
TABLE_AUTHORS = 50
#: Longest span drawn week by week; longer histories are drawn by month.
WEEKLY_SPAN_DAYS = 2 * 366
#: Most buckets drawn (the newest are kept).
MAX_BUCKETS = 600


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def author_rows(activity: dict) -> list[dict]:
    """Authors by commits (most first, then name), with first and last day."""
    rows = []
    for key, person in activity.items():
        days = [d for d in (_day(t) for t in person.get("days", {})) if d]
        commits = sum(int(n) for n in person.get("days", {}).values())
        if not commits:
            continue
        rows.append(
            {
                "key": key,
                "name": person.get("name") or key,
                "commits": commits,
                "first": min(days).isoformat() if days else "",
                "last": max(days).isoformat() if days else "",
            }
        )
    rows.sort(key=lambda r: (-r["commits"], r["name"].lower(), r["key"]))
    return rows


def bucket_of(day: datetime.date, monthly: bool) -> datetime.date:
    if monthly:
        return day.replace(day=1)
    return day - datetime.timedelta(days=day.weekday())


def _buckets(first: datetime.date, last: datetime.date, monthly: bool) -> list[datetime.date]:
    out, current = [], bucket_of(first, monthly)
    end = bucket_of(last, monthly)
    while current <= end:
        out.append(current)
        if monthly:
            current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            current += datetime.timedelta(days=7)
    return out[-MAX_BUCKETS:]


def build_chart_data(activity: dict) -> dict:
    """The page's JSON: ``{"unit", "labels", "series": [{"name", "data"}],
    "authors": [{"name", "commits"}]}`` (see module doc)."""
    rows = author_rows(activity)
    all_days = [d for p in activity.values() for d in (_day(t) for t in p.get("days", {})) if d]
    if not rows or not all_days:
        return {"unit": "week", "labels": [], "series": [], "authors": [], "total": 0}
    first, last = min(all_days), max(all_days)
    monthly = (last - first).days > WEEKLY_SPAN_DAYS
    buckets = _buckets(first, last, monthly)
    index = {b: i for i, b in enumerate(buckets)}
    top = rows[:TOP_AUTHORS]
    series = [{"name": r["name"], "data": [0] * len(buckets)} for r in top]
    others = {"name": "Others", "data": [0] * len(buckets)}
    slot = {r["key"]: s for r, s in zip(top, series)}
    for key, person in activity.items():
        target = slot.get(key, others)
        for text, count in person.get("days", {}).items():
            day = _day(text)
            i = index.get(bucket_of(day, monthly)) if day else None
            if i is not None:
                target["data"][i] += int(count)
    if any(others["data"]):
        series.append(others)
    label = "%Y-%m" if monthly else "%Y-%m-%d"
    return {
        "unit": "month" if monthly else "week",
        "labels": [b.strftime(label) for b in buckets],
        "series": series,
        "authors": [{"name": r["name"], "commits": r["commits"]} for r in rows[:10]],
        "total": sum(r["commits"] for r in rows),
    }
