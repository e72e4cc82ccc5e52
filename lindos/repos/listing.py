"""Which repositories a user may see: the home page's list."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from lindos.repos.permissions import readable_repositories
from lindos.timefmt import build_ago


def visible_repositories(user):
    """The repositories ``user`` may read (anonymous: ``AnonymousUser``)."""
    return readable_repositories(user).order_by("name")


def build_repository_rows(repositories, now) -> SafeString:
    """The list's table rows as one string, from ``.values()`` rows (name,
    description, kind, private, updated_at): a template loop costs several
    times more per row than the page's permission query, and the list is
    the page people load most."""
    rows = []
    for repo in repositories:
        name = escape(repo["name"])
        badge = ' <span class="badge">private</span>' if repo["private"] else ""
        description = escape(Truncator(repo["description"]).chars(100)) if repo["description"] else ""
        when = escape(build_ago(repo["updated_at"], now)) if repo["updated_at"] else ""
        kind = escape(repo["kind"])
        rows.append(
            f'<tr>\n      <td><a href="/{name}">{name}</a>{badge}</td>\n      <td>{description}</td>\n'
            f'      <td><span class="badge badge-{kind}">{kind}</span></td>\n      <td>{when}</td>\n    </tr>'
        )
    return mark_safe("\n".join(rows))
