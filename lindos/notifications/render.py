"""Mail bodies: a text and an HTML template per mail type, on shared base
templates (``templates/notifications/mail/``).

The registry (``mailtypes``) names each type's templates and its context
(``contexts``).  The HTML body escapes all user text (Django's
autoescape); comment and description text is Markdown, rendered by
``lindos.markup`` as the pages render it.  The text body shows the Markdown
source as written.  Every body names the instance by its title (``title``,
``sender.instance_title``), never a product name, and may start with the
sentence saying why its reader is told (``why``, ``recipients.why``).
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from lindos.notifications.mailtypes import for_facts
from lindos.notifications.sender import DEFAULT_TITLE


def _tidy_text(text: str) -> str:
    # Templates leave blank lines where tags stood; mail wants none at the
    # ends, no trailing spaces (RFC 3676 would read them as soft breaks) and
    # at most one empty line in a row.
    # The signature separator "-- " keeps its space (RFC 3676 section 4.3).
    lines = [line if line == "-- " else line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def context_for(facts, base_url: str, *, title: str = DEFAULT_TITLE, why: str = "") -> dict:
    ctx = {"facts": facts, "site_url": base_url, "site_title": title, "why": why}
    ctx.update(for_facts(facts).context(facts, base_url))
    return ctx


def render_bodies(facts, base_url: str, *, title: str = DEFAULT_TITLE, why: str = "") -> tuple[str, str]:
    """(text, html) bodies for a mail about `facts`, links on `base_url`."""
    name = for_facts(facts).template_name
    ctx = context_for(facts, base_url, title=title, why=why)
    text = render_to_string(f"notifications/mail/{name}.txt", ctx)
    html = render_to_string(f"notifications/mail/{name}.html", ctx)
    return _tidy_text(text), html.strip() + "\n"
