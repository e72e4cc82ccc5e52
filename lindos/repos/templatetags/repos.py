"""Template helpers for repository pages: ``{% load repos %}``."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def clone_url(context, repo) -> str:
    """The URL to give ``git clone``: canonical_url when set, else this request's host."""
    base = settings.LINDOS.canonical_url.rstrip("/")
    if not base:
        request = context.get("request")
        base = request.build_absolute_uri("/").rstrip("/") if request else ""
    return f"{base}/{repo.name}"


@register.simple_tag(takes_context=True)
def readable_fork_source(context, repo):
    """The repository ``repo`` was forked from, if the viewer may read it."""
    from lindos.repos.permissions import can_read

    source = repo.fork_of
    request = context.get("request")
    if source is None or request is None or not can_read(request.user, source):
        return None
    return source


@register.simple_tag
def entry_rows(entries):
    """The rows of a directory listing (repos/browse/files_dir.html)."""
    from lindos.repos.browse.rows import render_entry_rows

    return render_entry_rows(entries)
