"""Comment and description text on the pages: ``lindos.markup`` (the one
Markdown policy, which mails share), with the mentioned users looked up.
"""

from __future__ import annotations

from lindos import markup
from lindos.notifications.facts import extract_mentions, people_by_usernames


def mentioned_people(text: str) -> tuple:
    """The active users @mentioned in `text` (Persons)."""
    return people_by_usernames(extract_mentions(text or ""))


def render_markdown(text: str, people=None) -> str:
    """Safe HTML for a comment or description; `people` (the mentioned
    users) defaults to a lookup of those mentioned."""
    return markup.render_markdown(text, mentioned_people(text) if people is None else people)
