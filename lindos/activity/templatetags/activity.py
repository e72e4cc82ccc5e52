"""Template tags for the follow button shown in every repository's header."""

from django import template

from lindos.activity.following import is_following_repository, repository_followers

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, repo) -> dict:
    """``{"following": bool, "followers": int}`` for the viewer and ``repo``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "following": is_following_repository(user, repo),
        "followers": repository_followers(repo).count(),
    }


@register.simple_tag(takes_context=True)
def follows_user(context, person) -> bool:
    """True when the viewer follows ``person`` (their profile's button)."""
    from lindos.activity.following import is_following_user

    request = context.get("request")
    return is_following_user(getattr(request, "user", None), person)
