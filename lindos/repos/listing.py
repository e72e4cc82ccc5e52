"""Which repositories a user may see: the home page's list."""

from lindos.repos.permissions import readable_repositories


def visible_repositories(user):
    """The repositories ``user`` may read, by name (anonymous: ``AnonymousUser``)."""
    return readable_repositories(user).order_by("name")
