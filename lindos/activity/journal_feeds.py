"""Journal entries as feed items (the journals' RSS and Atom feeds)."""

from __future__ import annotations

from django.utils.html import escape

from lindos.activity.feeds import Item
from lindos.repos.browse import links


def entry_title(entry) -> str:
    """``alice - pushed group/project`` (Kallithea's "USER - ACTION REPO")."""
    who = entry.user.username if entry.user else "anonymous"
    action = entry.get_action_display()
    title = f"{who} - {action} {entry.repository.name}"
    return title + (f" ({entry.detail})" if entry.detail else "")


def entry_description(entry, base_url: str) -> str:
    lines = []
    for change in entry.changes:
        name = escape(change["name"])
        if change["deleted"]:
            lines.append(f"{name}: deleted")
            continue
        url = base_url + links.changeset_url(entry.repository.name, change["new"])
        lines.append(f'{name}: <a href="{escape(url)}">{change["new"][:12]}</a>')
    if entry.detail:
        lines.append(escape(entry.detail))
    return "<br/>".join(lines)


def journal_items(entries, base_url: str) -> list[Item]:
    items = []
    for entry in entries:
        link = base_url + links.changelog_url(entry.repository.name)
        items.append(
            Item(
                title=entry_title(entry),
                link=link,
                description=entry_description(entry, base_url),
                pubdate=entry.created_at,
                unique_id=f"{base_url}/_admin/journal#entry-{entry.pk}",
                author_name=entry.user.full_name_or_username if entry.user else "",
                author_email="",
            )
        )
    return items
