"""Template contexts: what each mail type's templates get besides the facts.

Pure functions of the facts and the link base, one per kind of mail; the
registry (``mailtypes``) names which one a mail type uses.  The HTML of
comment and description text is rendered by ``lindos.markup`` as the pages
render it (no raw HTML, images as links, an allow-list of tags, mentions
linked to profiles), with site links made absolute on the link base.
"""

from __future__ import annotations

from lindos import markup
from lindos.notifications import facts as f
from lindos.notifications.subjects import changeset_author_name


def absolute(path: str, base_url: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return (base_url or "").rstrip("/") + "/" + path.lstrip("/")


def markdown_html(text: str, people=(), base_url: str = "") -> str:
    """Markdown source -> the HTML its page shows, with absolute links."""
    return markup.render_markdown(text, people, link_base=base_url)


def changeset_author_full(cs: f.Changeset, user: f.Person | None) -> str:
    """The author as a reader knows them: the user's full name when the
    commit's email is a user's, else the commit's own name."""
    if user is not None:
        return user.display_name
    return cs.author_name or cs.author_email


def _repo(facts, base_url: str) -> dict:
    return {"repo_url": absolute("/" + facts.repo.name, base_url)}


def _changesets(changesets, base_url: str) -> list[dict]:
    return [{"cs": cs, "url": absolute(cs.url_path, base_url)} for cs in changesets]


def comment(facts: f.CommentFacts, base_url: str) -> dict:
    ctx = _repo(facts, base_url)
    ctx["comment_url"] = absolute(facts.url_path, base_url)
    ctx["comment_html"] = markdown_html(facts.text, facts.mentioned, base_url)
    if facts.changeset is not None:
        ctx["changeset_url"] = absolute(facts.changeset.url_path, base_url)
        ctx["changeset_author"] = changeset_author_name(facts)
        ctx["changeset_author_full"] = changeset_author_full(facts.changeset, facts.changeset_author)
    if facts.pull_request is not None:
        ctx.update(_pull_request(facts.pull_request, base_url))
    return ctx


def _pull_request(pr: f.PullRequest, base_url: str) -> dict:
    return {
        "pr": pr,
        "pr_url": absolute(pr.url_path, base_url),
        "changesets": _changesets(pr.changesets, base_url),
    }


def pull_request(facts: f.PullRequestFacts, base_url: str) -> dict:
    ctx = _repo(facts, base_url)
    ctx.update(_pull_request(facts.pull_request, base_url))
    # Only the pull request mail shows the description; its mentions are
    # those of the description.
    ctx["description_html"] = markdown_html(facts.pull_request.description, facts.mentioned, base_url)
    ctx["reviewer_names"] = ", ".join(p.display_name for p in facts.new_reviewers)
    return ctx


def registration(facts: f.RegistrationFacts, base_url: str) -> dict:
    return {"user_url": absolute(facts.admin_user_url_path, base_url)}


def nothing(facts, base_url: str) -> dict:
    return {}
