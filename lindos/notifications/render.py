"""Mail bodies: a text and an HTML template per mail type, on shared base
templates (``templates/notifications/mail/``).

The HTML body escapes all user text (Django's autoescape); comment and
description text is Markdown, rendered by ``lindos.markup`` as the pages
render it (no raw HTML, images as links, an allow-list of tags, mentions
linked to profiles), with site links made absolute on ``canonical_url``.
The text body shows the Markdown source as written.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from lindos import markup
from lindos.notifications import facts as f
from lindos.notifications.subjects import changeset_author_name

# facts class -> (template / mail type, X-Kallithea-Notification-Type)
_TYPES = {
    f.RegistrationFacts: ("registration", "registration"),
    f.PasswordResetFacts: ("password_reset", "message"),
    f.PasswordChangedFacts: ("password_changed", "message"),
    f.AddressConfirmFacts: ("address_confirm", "message"),
    f.AddressInUseFacts: ("address_in_use", "message"),
    f.TestMailFacts: ("test_mail", "message"),
    f.PullRequestFacts: ("pull_request", "pull_request"),
    f.UndeliverableFacts: ("undeliverable", "message"),
    # Error mails are not application mails (Kallithea's came from its error
    # middleware without the header); none, so filters on "message" miss them.
    f.ErrorFacts: ("error", None),
}


def mail_types(facts) -> tuple[str, str]:
    """(mail type = template name, notification type header value)."""
    if isinstance(facts, f.CommentFacts):
        kind = "pull_request_comment" if facts.is_pull_request else "cs_comment"
        return kind, kind
    return _TYPES[type(facts)]


def absolute(path: str, canonical_url: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return (canonical_url or "").rstrip("/") + "/" + path.lstrip("/")


def markdown_html(text: str, people=(), canonical_url: str = "") -> str:
    """Markdown source -> the HTML its page shows, with absolute links."""
    return markup.render_markdown(text, people, link_base=canonical_url)


def _tidy_text(text: str) -> str:
    # Templates leave blank lines where tags stood; mail wants none at the
    # ends, no trailing spaces (RFC 3676 would read them as soft breaks) and
    # at most one empty line in a row.
    # The signature separator "-- " keeps its space (RFC 3676 section 4.3).
    lines = [line if line == "-- " else line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def context_for(facts, canonical_url: str) -> dict:
    ctx = {"facts": facts, "site_url": canonical_url}
    if isinstance(facts, f.CommentFacts):
        ctx["comment_url"] = absolute(facts.url_path, canonical_url)
        ctx["comment_html"] = markdown_html(facts.text, facts.mentioned, canonical_url)
        if facts.changeset is not None:
            ctx["changeset_url"] = absolute(facts.changeset.url_path, canonical_url)
            ctx["changeset_author"] = changeset_author_name(facts)
    if isinstance(facts, (f.CommentFacts, f.PullRequestFacts)) and facts.pull_request:
        ctx["pr"] = facts.pull_request
        ctx["pr_url"] = absolute(facts.pull_request.url_path, canonical_url)
    if isinstance(facts, f.PullRequestFacts):
        # Only the pull request mail shows the description; its mentions
        # are those of the description.
        ctx["description_html"] = markdown_html(facts.pull_request.description,
                                                facts.mentioned, canonical_url)
        ctx["reviewer_names"] = ", ".join(p.display_name for p in facts.new_reviewers)
    if isinstance(facts, f.RegistrationFacts):
        ctx["user_url"] = absolute(facts.admin_user_url_path, canonical_url)
    return ctx


def render_bodies(facts, canonical_url: str) -> tuple[str, str]:
    """(text, html) bodies for a mail about `facts`."""
    kind, _ = mail_types(facts)
    ctx = context_for(facts, canonical_url)
    text = render_to_string(f"notifications/mail/{kind}.txt", ctx)
    html = render_to_string(f"notifications/mail/{kind}.html", ctx)
    return _tidy_text(text), html.strip() + "\n"
