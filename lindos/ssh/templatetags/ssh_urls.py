"""``{% load ssh_urls %}``: the SSH clone URL of a repository."""

from django import template
from django.conf import settings

from lindos.ssh.clone_urls import render_clone_url

register = template.Library()


@register.simple_tag(takes_context=True)
def ssh_clone_url(context, repo) -> str:
    """The SSH clone URL, or "" when SSH is off or the viewer is not logged in
    (an SSH URL is only any use with a key, i.e. an account: Kallithea's rule)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not settings.LINDOS.ssh_enabled or user is None or not user.is_authenticated:
        return ""
    base = settings.LINDOS.canonical_url or request.build_absolute_uri("/")
    return render_clone_url(settings.LINDOS.clone_ssh_tmpl, base, repo.name, repo.pk, user.username)
