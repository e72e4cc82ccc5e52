"""Which journal entries a viewer sees: the personal journal (what the
repositories and users they follow did) and the public journal.

Policy: an entry is shown only when its repository is one the viewer may
read now (``readable_repositories``). The public journal further keeps to
repositories anyone may read, anonymous visitors included: a private
repository never appears there, even to its owner (it is the *public*
journal). Following a user shows their actions on repositories the
follower may read, never others.

``filter=`` takes Kallithea's journal filter words: ``repository:NAME``,
``username:NAME`` (``*`` at either end matches any text there; a bare
word means ``repository:``), several words must all match, ``OR`` between
words accepts any of them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from lindos.activity.models import UserFollowing
from lindos.repos.journal import RefChange, short_ref
from lindos.repos.models import JournalEntry
from lindos.repos.permissions import readable_repositories

#: Entries per page, as in Kallithea.
PAGE_SIZE = 20
#: Longest filter text read; the rest is ignored.
MAX_FILTER = 200
#: Words of a filter read; the rest are ignored.
MAX_TERMS = 10

FIELDS = {"repository": "repository__name", "username": "user__username"}
#: The same fields in the admin log's ``ActionLog`` (names kept as text).
ACTION_FIELDS = {"repository": "repository_name", "username": "username"}


def entries_for(viewer):
    """Journal entries on repositories ``viewer`` may read."""
    return JournalEntry.objects.filter(repository__in=readable_repositories(viewer))


def public_entries(viewer):
    """The public journal's entries: repositories anyone may read, which
    ``viewer`` may read too (an explicit "none" grant hides one)."""
    public = readable_repositories(AnonymousUser())
    return entries_for(viewer).filter(repository__in=public)


def followed_entries(viewer):
    """The personal journal: entries on followed repositories and by
    followed users, among those ``viewer`` may read."""
    followings = UserFollowing.objects.filter(user=viewer)
    repo_ids = followings.exclude(follows_repository=None).values("follows_repository_id")
    user_ids = followings.exclude(follows_user=None).values("follows_user_id")
    return entries_for(viewer).filter(Q(repository_id__in=repo_ids) | Q(user_id__in=user_ids))


def _term_q(term: str, fields: dict = FIELDS) -> Q | None:
    field, sep, value = term.partition(":")
    if not sep:
        field, value = "repository", term
    column = fields.get(field.lower())
    value = value.strip('"')
    if column is None or not value:
        return None
    starts, ends = value.startswith("*"), value.endswith("*") and len(value) > 1
    core = value.strip("*")
    if not core:
        return None
    if starts and ends:
        return Q(**{f"{column}__icontains": core})
    if starts:
        return Q(**{f"{column}__iendswith": core})
    if ends:
        return Q(**{f"{column}__istartswith": core})
    return Q(**{f"{column}__iexact": core})


def filter_q(text: str | None, fields: dict = FIELDS) -> Q | None:
    """The filter's condition, or None to show everything (see module doc)."""
    words = (text or "")[:MAX_FILTER].replace("\x00", "").split()[: MAX_TERMS * 2]
    if not words:
        return None
    any_of = any(w == "OR" for w in words)
    terms = [q for q in (_term_q(w, fields) for w in words if w not in ("OR", "AND")) if q is not None][
        :MAX_TERMS
    ]
    if not terms:
        return Q(pk__in=[])  # only words we do not understand: nothing matches
    combined = terms[0]
    for q in terms[1:]:
        combined = (combined | q) if any_of else (combined & q)
    return combined


def action_filter_q(text: str | None) -> Q | None:
    """``filter_q`` for the admin log's ``ActionLog`` rows."""
    return filter_q(text, ACTION_FIELDS)


def apply_filter(entries, text: str | None):
    q = filter_q(text)
    return entries if q is None else entries.filter(q)


@dataclass
class Day:
    day: object
    people: list  # [(user or None, [entries])]


def with_changes(entries) -> list:
    """Give each entry ``changes``: its moved refs, ready for templates."""
    for entry in entries:
        entry.changes = []
        for raw in entry.ref_changes or []:
            change = RefChange(raw.get("ref", ""), raw.get("old", ""), raw.get("new", ""))
            entry.changes.append(
                {
                    "name": short_ref(change.ref),
                    "old": change.old,
                    "new": change.new,
                    "created": change.created,
                    "deleted": change.deleted,
                }
            )
    return entries


def by_day(entries) -> list[Day]:
    """Kallithea's grouping: by day, then consecutive entries by one person."""
    days = []
    for day, group in itertools.groupby(entries, key=lambda e: e.created_at.date()):
        people = [(user, list(items)) for user, items in itertools.groupby(group, key=lambda e: e.user)]
        days.append(Day(day, people))
    return days
