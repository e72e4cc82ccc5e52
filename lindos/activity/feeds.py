"""RSS 2.0 and Atom 1.0 feeds: a repository's latest changesets and the
journals, written by Django's feed generator (it escapes every text node).

What goes in, for XML's sake: characters XML 1.0 cannot carry (control
characters other than tab and newline, lone surrogates from undecodable
names, U+FFFE/U+FFFF) are removed from every text; commit messages are
plain text put into an HTML description, so markup in them (``<script>``,
``]]>``) arrives as text, escaped twice as RSS wants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import feedgenerator
from django.utils.html import escape

from lindos.repos.browse import links
from lindos.vcs.errors import VCSError

FORMATS = {"rss": feedgenerator.Rss201rev2Feed, "atom": feedgenerator.Atom1Feed}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Characters of a title (Kallithea's ``shorter(message, 160)``).
TITLE_LENGTH = 160


def xml_text(text) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", str(text or ""))


def shorter(text: str, length: int = TITLE_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass
class Item:
    title: str
    link: str
    description: str
    pubdate: datetime
    unique_id: str
    author_name: str = ""
    author_email: str = ""
    categories: list = field(default_factory=list)


@dataclass
class Feed:
    title: str
    link: str
    description: str
    feed_url: str
    items: list[Item]


def render_feed(feed: Feed, fmt: str) -> tuple[bytes, str]:
    """``(document, content type)`` of ``feed`` in ``fmt`` (``rss`` or ``atom``)."""
    generator = FORMATS[fmt](
        title=xml_text(feed.title),
        link=feed.link,
        description=xml_text(feed.description),
        feed_url=feed.feed_url,
        language="en-us",
    )
    for item in feed.items:
        email = xml_text(item.author_email)
        generator.add_item(
            title=xml_text(item.title),
            link=item.link,
            description=xml_text(item.description),
            pubdate=item.pubdate,
            updateddate=item.pubdate,
            unique_id=item.unique_id,
            author_name=xml_text(item.author_name) or None,
            # RSS's <author> must hold an address; Atom's <email> likewise.
            author_email=email if "@" in email else None,
            categories=[xml_text(c) for c in item.categories if xml_text(c)] or None,
        )
    return generator.writeString("utf-8").encode("utf-8"), f"{generator.content_type}"


def changeset_description(cs, base_url: str, repo_name: str, *, cut_off: int, include_diff: bool) -> str:
    """The HTML of one changeset's entry: who and when, branch and tags,
    the changed files with their line counts, the message, optionally the
    diff (Kallithea's feed text). ``cut_off`` bounds the diff read."""
    parts = [f"{escape(cs.author_name or cs.author)} committed on {cs.date:%Y-%m-%d %H:%M:%S %z}<br/>"]
    if cs.branch:
        parts.append(f"branch: {escape(cs.branch)}<br/>")
    for tag in cs.tags:
        parts.append(f"tag: {escape(tag)}<br/>")
    url = base_url + links.changeset_url(repo_name, cs.id)
    parts.append(f'changeset: <a href="{escape(url)}">{cs.short_id}</a>')
    parts.append("<pre>")
    parts.append(escape(cs.message))
    parts.append("\n")
    diff = b""
    cut = False
    try:
        diff = cs.diff_against_parent()
        cut = len(diff) > cut_off
        for stat in cs.file_stats():
            parts.append(f"\n {escape(stat.path)} ({stat.added} lines added, {stat.deleted} lines removed)")
    except VCSError:
        cut = True
    if cut:
        parts.append("\n Changeset was too big and was cut off...")
    if include_diff and diff:
        parts.append("\n\n")
        parts.append(escape(diff[:cut_off].decode("utf-8", "replace")))
    parts.append("</pre>")
    return "".join(parts)


def changeset_items(
    vcs, start: str, repo_name: str, base_url: str, *, limit: int, cut_off: int, include_diff: bool
):
    """The newest ``limit`` changesets of ``start``'s history, as feed items."""
    items = []
    for cs in vcs.iter_changesets(start_rev=start, limit=limit):
        url = base_url + links.changeset_url(repo_name, cs.id)
        items.append(
            Item(
                title=shorter(cs.message) or cs.short_id,
                link=url,
                description=changeset_description(
                    cs, base_url, repo_name, cut_off=cut_off, include_diff=include_diff
                ),
                pubdate=cs.date,
                unique_id=url,
                author_name=cs.author_name,
                author_email=cs.author_email,
            )
        )
    return items
