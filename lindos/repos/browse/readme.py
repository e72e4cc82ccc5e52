"""Rendering a repository's README for the summary page.

Policy: the README is the first root file, in ``README_NAMES`` order, that
exists. Markdown and reStructuredText are rendered to HTML; anything else is
shown as preformatted text. Rendered HTML always passes through nh3, whose
allow-list drops scripts, event handlers, ``javascript:`` links and styles,
so a README can never run code on our origin. reStructuredText is rendered
with file insertion and raw HTML disabled, so a README cannot read files off
the server either. Results are cached under the immutable blob id.
"""

from __future__ import annotations

import markdown
import nh3
from django.core.cache import cache
from django.utils.html import escape

from lindos.vcs.text import decode_text

README_NAMES = (
    "README.md",
    "README.markdown",
    "README.mkdn",
    "README.rst",
    "README.txt",
    "README",
    "readme.md",
    "readme.rst",
    "readme.txt",
    "Readme.md",
    "README.MD",
    "readme",
)

#: READMEs larger than this are not rendered (a link to the file remains).
README_LIMIT = 512 * 1024

_CACHE_VERSION = 1


def find_readme(root_entries) -> object | None:
    """The README file node among the root directory's entries, if any."""
    files = {node.name: node for node in root_entries if node.is_file}
    for name in README_NAMES:
        node = files.get(name)
        if node is not None and not node.is_symlink:
            return node
    return None


def markup_of(name: str) -> str:
    lower = name.lower()
    if lower.endswith((".md", ".markdown", ".mkdn")):
        return "markdown"
    if lower.endswith(".rst"):
        return "rst"
    return "text"


def sanitize(html: str) -> str:
    """Keep only harmless HTML (nh3's default allow-list)."""
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


def render_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])


def render_rst(text: str) -> str:
    from docutils.core import publish_parts
    from docutils.writers.html5_polyglot import Writer

    overrides = {
        "file_insertion_enabled": False,  # no ``.. include:: /etc/passwd``
        "raw_enabled": False,  # no ``.. raw:: html``
        "report_level": 5,  # errors are not shown inline
        "halt_level": 5,
        "warning_stream": False,
        "input_encoding": "unicode",
        "output_encoding": "unicode",
        "syntax_highlight": "none",
        "doctitle_xform": False,
    }
    try:
        parts = publish_parts(text, writer=Writer(), settings_overrides=overrides)
    except Exception:  # docutils raises many types on odd input
        return "<pre>" + escape(text) + "</pre>"
    return parts["body"]


def render_markup(name: str, content: bytes) -> str:
    """Sanitised HTML for a README's bytes, by its file name's markup."""
    text = decode_text(content)
    kind = markup_of(name)
    if kind == "markdown":
        html = render_markdown(text)
    elif kind == "rst":
        html = render_rst(text)
    else:
        return "<pre>" + escape(text) + "</pre>"
    return sanitize(html)


def rendered_readme(node) -> str | None:
    """The README node rendered (cached by blob id), or None if too big."""
    if node.size > README_LIMIT:
        return None
    key = f"lindos:readme:{_CACHE_VERSION}:{markup_of(node.name)}:{node.blob_id}"
    html = cache.get(key)
    if html is None:
        html = render_markup(node.name, node.content)
        cache.set(key, html)
    return html
