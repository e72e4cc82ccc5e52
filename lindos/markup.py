"""Comment and description text: Markdown in, safe HTML out.  The one
policy for the pages and the mails: a mail's HTML part shows a comment as
its page does.

- Raw HTML in the source is not HTML: Markdown's HTML passthrough is off,
  so ``<script>`` or ``<b>`` show as the characters typed.
- Images are links: ``![alt](https://...)`` becomes a link to the image
  showing its alt text (or its address), so neither a page nor a mail
  loads a remote image when it is opened (tracking pixels, and a mail
  client's "load remote content" prompt); an image inside a link becomes
  its alt text.
- The result is sanitised with nh3 anyway (belt and braces): only plain
  formatting tags survive, links keep only ``http``, ``https`` and
  ``mailto`` targets (``javascript:`` and ``data:`` links lose their
  ``href``) and get ``rel="nofollow noopener noreferrer"``.
- ``@username`` of a user among `people` (the active users mentioned, which
  the caller looked up) becomes a link with class ``mention`` to their
  profile page; other ``@words``, and mentions inside code, stay text.
- Links to the site's own paths (``/group/repo``, mentions) are prefixed
  with `link_base`: ``""`` on pages, the site's address in mails, whose
  links must be absolute.

Pure: no database, no request.  One Markdown converter per thread is
reused (setting one up costs as much as converting a comment) and recent
results are remembered (a pull request's description is rendered again for
every comment on it).
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
import nh3
from django.urls import reverse
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from lindos.notifications.facts import MENTION_RE

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "span": {"class"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
EXTENSIONS = ["fenced_code", "tables", "sane_lists"]

# Texts up to this size are remembered.
CACHED_TEXT = 16 * 1024


def profile_path(username: str) -> str:
    """Where a mention links to: the user's profile page."""
    return reverse("user_profile", args=[username])


class _Mentions(InlineProcessor):
    """``@username`` -> a link, for the users in ``self.users`` (set before
    each conversion: lower-case username -> person)."""

    def __init__(self):
        super().__init__(MENTION_RE.pattern)
        self.users: dict = {}

    def handleMatch(self, m, data):
        user = self.users.get(m.group(1).lower())
        if user is None:
            return None, None, None
        el = etree.Element(
            "a", {"class": "mention", "href": profile_path(user.username), "title": user.display_name}
        )
        el.text = "@" + user.username
        return el, m.start(0), m.end(0)


class _ImagesAndSiteLinks(Treeprocessor):
    """Images become links (or text, inside a link); site paths get
    ``self.link_base`` in front."""

    link_base = ""

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for el in list(root.iter("img")):
            src, alt = el.get("src", ""), el.get("alt", "")
            title = el.get("title")
            el.attrib.clear()
            if _inside_link(el, parents):
                el.tag = "span"
            else:
                el.tag = "a"
                el.set("href", src)
                if title:
                    el.set("title", title)
            el.text = alt or src
        if self.link_base:
            base = self.link_base.rstrip("/")
            for el in root.iter("a"):
                href = el.get("href", "")
                if href.startswith("/") and not href.startswith("//"):
                    el.set("href", base + href)


def _inside_link(el, parents) -> bool:
    el = parents.get(el)
    while el is not None:
        if el.tag == "a":
            return True
        el = parents.get(el)
    return False


_local = threading.local()


def _converter() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=EXTENSIONS)
        # No raw HTML: blocks and inline tags become escaped text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_Mentions(), "mention", 95)
        # After "inline" (20), which makes the images, before serialising.
        md.treeprocessors.register(_ImagesAndSiteLinks(md), "images_and_site_links", 15)
        _local.md = md
    return md


def _render(text: str, people: tuple, link_base: str) -> str:
    md = _converter()
    md.inlinePatterns["mention"].users = {p.username.lower(): p for p in people}
    md.treeprocessors["images_and_site_links"].link_base = link_base
    try:
        html = md.reset().convert(text)
    except Exception:
        _local.md = None  # half-way state must not leak into the next text
        raise
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL
    )


_remembered = lru_cache(maxsize=256)(_render)


def render_markdown(text: str, people=(), link_base: str = "") -> str:
    """Safe HTML for a comment or description (see the module doc).
    `people`: the active users mentioned (objects with ``username`` and
    ``display_name``); `link_base`: what goes before site paths."""
    text = text or ""
    people = tuple(people)
    if len(text) <= CACHED_TEXT and _hashable(people):
        return _remembered(text, people, link_base)
    return _render(text, people, link_base)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
