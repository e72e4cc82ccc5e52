"""Comment and description text: Markdown in, safe HTML out.

Policy:
- raw HTML in the source is not HTML: Markdown's HTML passthrough is turned
  off, so ``<script>`` or ``<b>`` show as the characters typed;
- the result is sanitised with nh3 anyway (belt and braces): only plain
  formatting tags survive, links keep only ``http``, ``https`` and
  ``mailto`` targets (``javascript:`` and ``data:`` links lose their
  ``href``) and get ``rel="nofollow noopener noreferrer"``;
- ``@username`` of an existing active user becomes a link with class
  ``mention``; other ``@words``, and mentions inside code, stay text.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import nh3
from django.urls import reverse
from markdown.inlinepatterns import InlineProcessor

from lindos.notifications.facts import MENTION_RE, extract_mentions, people_by_usernames

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol",
    "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "th", "td", "del", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "span": {"class"},
                      "code": {"class"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def mention_url(person) -> str:
    """Where a mention links to: the user's profile page."""
    return reverse("user_profile", args=[person.username])


class _Mentions(InlineProcessor):
    def __init__(self, users: dict):
        super().__init__(MENTION_RE.pattern)
        self.users = users  # lower-case username -> Person

    def handleMatch(self, m, data):
        user = self.users.get(m.group(1).lower())
        if user is None:
            return None, None, None
        el = etree.Element("a", {"class": "mention", "href": mention_url(user),
                                 "title": user.display_name})
        el.text = "@" + user.username
        return el, m.start(0), m.end(0)


def mentioned_users(text: str) -> dict:
    """{lower-case username: Person} of the active users @mentioned in `text`."""
    return {p.username.lower(): p for p in people_by_usernames(extract_mentions(text))}


def render_markdown(text: str, users: dict | None = None) -> str:
    """Safe HTML for a comment or description (see module doc).  `users`
    ({lower-case username: Person}) defaults to the users mentioned."""
    md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"])
    # No raw HTML: blocks and inline tags become escaped text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    users = mentioned_users(text) if users is None else users
    if users:
        md.inlinePatterns.register(_Mentions(users), "mention", 95)
    html = md.convert(text or "")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="nofollow noopener noreferrer")
