"""Facts: the plain values one mail needs, loaded from the database once.

Each event (``events``) has a loader that turns its ids into one frozen
dataclass below.  Everything after this step (recipients, subjects,
rendering) is pure and works on these values alone, so it can be tested with
facts built by hand and never queries the database.

The mail-type registry (``mailtypes``) names each event's loader: the
accounts events are loaded here, the code-review events by
``lindos.review.facts``.  A loader returns the facts, or raises (the
pipeline then falls back to admins and ``email_to``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lindos.notifications import events


@dataclass(frozen=True)
class Person:
    """A user as mail sees them."""

    id: int
    username: str
    full_name: str = ""
    email: str = ""
    is_active: bool = True

    @property
    def display_name(self) -> str:
        return self.full_name.strip() or self.username


@dataclass(frozen=True)
class Repo:
    id: int
    name: str  # full name, with groups: "group/repo"
    owner: Person | None = None


@dataclass(frozen=True)
class Changeset:
    raw_id: str  # full hash
    short_id: str
    message: str  # full commit message
    branch: str = ""
    author_name: str = ""
    author_email: str = ""
    url_path: str = ""  # site path, made absolute with canonical_url

    @property
    def first_line(self) -> str:
        return self.message.strip().split("\n", 1)[0].strip()


@dataclass(frozen=True)
class CodeLine:
    number: int | None
    text: str
    is_target: bool = False  # the line the comment is attached to


@dataclass(frozen=True)
class InlineContext:
    """Where an inline comment sits: file, line, side, and the code around it."""

    path: str
    line: int
    side: str = "new"  # "new" or "old" side of the diff
    lines: tuple[CodeLine, ...] = ()


@dataclass(frozen=True)
class PullRequest:
    id: int
    title: str
    description: str
    source_branch: str
    target_branch: str
    owner: Person
    reviewers: tuple[Person, ...] = ()
    url_path: str = ""
    source_repo_name: str = ""
    changesets: tuple[Changeset, ...] = ()


@dataclass(frozen=True)
class RegistrationFacts:
    actor: Person | None  # the new user themselves (Kallithea's sender)
    user: Person
    admins: tuple[Person, ...]
    admin_user_url_path: str = ""


@dataclass(frozen=True)
class PasswordResetFacts:
    user: Person
    reset_url: str


@dataclass(frozen=True)
class PasswordManagedElsewhereFacts:
    """The owner of an account whose password an outside source keeps
    (events.PasswordManagedElsewhere)."""

    user: Person
    source: str  # "ldap", "container"...


@dataclass(frozen=True)
class PasswordChangedFacts:
    user: Person


@dataclass(frozen=True)
class AddressConfirmFacts:
    """A confirmation link for an address (events.AddressConfirmationRequested)."""

    address: str
    username: str
    purpose: str  # "registration" or "email_change"
    confirm_url: str
    user_id: int | None = None
    name: str = ""

    @property
    def display_name(self) -> str:
        return self.name.strip() or self.username


@dataclass(frozen=True)
class AddressInUseFacts:
    """The owner of an address someone else tried to use (events.AddressInUse)."""

    user: Person
    purpose: str  # "registration" or "email_change"


@dataclass(frozen=True)
class TestMailFacts:
    address: str
    actor: Person | None = None
    site_title: str = ""  # the instance's name (``sender.instance_title``)


@dataclass(frozen=True)
class CommentFacts:
    """A comment on a changeset or on a pull request (then ``pull_request``
    is set and ``changeset`` may name the commented changeset, if any)."""

    actor: Person  # who commented
    repo: Repo
    comment_id: int
    text: str  # Markdown source
    url_path: str
    changeset: Changeset | None = None
    pull_request: PullRequest | None = None
    inline: InlineContext | None = None
    status_change: str = ""  # "Approved", "Not approved", "Under review", ...
    closing: bool = False
    changeset_author: Person | None = None  # user whose email is the commit's
    earlier_commenters: tuple[Person, ...] = ()
    open_pr_reviewers: tuple[Person, ...] = ()  # reviewers of open PRs containing it
    mentioned: tuple[Person, ...] = ()

    @property
    def is_pull_request(self) -> bool:
        return self.pull_request is not None


@dataclass(frozen=True)
class PullRequestFacts:
    """A pull request created, or reviewers added to it."""

    actor: Person
    repo: Repo
    pull_request: PullRequest
    new_reviewers: tuple[Person, ...]
    # Users @mentioned in the description: linked in the mail, and mailed
    # when the pull request is new (not when reviewers are added).
    mentioned: tuple[Person, ...] = ()
    is_new: bool = True


@dataclass(frozen=True)
class UndeliverableFacts:
    """Stand-in when an event's facts could not be loaded: the fallback
    mail tells admins and ``email_to`` what happened."""

    event_name: str
    event_summary: str
    error: str
    repo_id: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorFacts:
    """An unhandled exception, already redacted (``error_mail``)."""

    exception_type: str
    message: str
    traceback: str
    where: str  # "GET https://.../path" or "task NAME"
    user: str
    environment: tuple[tuple[str, str], ...] = ()
    count: int = 1  # occurrences since the last mail, this one included
    interval_seconds: int = 0


# --- helpers for loaders ---------------------------------------------------

# Kallithea's mention syntax: @username not preceded by a word character.
MENTION_RE = re.compile(r"(?:^|(?<=[^a-zA-Z0-9]))@([a-zA-Z0-9][-_.a-zA-Z0-9]*[a-zA-Z0-9])")


def extract_mentions(text: str) -> list[str]:
    """Usernames @mentioned in `text`, in order, without repeats."""
    seen: dict[str, None] = {}
    for name in MENTION_RE.findall(text or ""):
        seen.setdefault(name, None)
    return list(seen)


def person(user) -> Person:
    """A Person from an ``accounts.User``."""
    return Person(
        id=user.pk,
        username=user.username,
        full_name=user.get_full_name().strip(),
        email=user.email or "",
        is_active=user.is_active,
    )


_PERSON_FIELDS = ("pk", "username", "first_name", "last_name", "email", "is_active")


def people(users) -> list[Person]:
    """Persons for a queryset of users, read as plain values: a mail to
    every admin reads hundreds, and model instances cost ten times more.
    The full name is ``User.get_full_name()``'s."""
    return [
        Person(
            id=pk,
            username=username,
            full_name=f"{first} {last}".strip(),
            email=email or "",
            is_active=is_active,
        )
        for pk, username, first, last, email, is_active in users.values_list(*_PERSON_FIELDS)
    ]


def people_by_usernames(usernames) -> tuple[Person, ...]:
    """The active users named (case-insensitively), in the order given."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    from lindos.accounts.models import User

    wanted = list(dict.fromkeys(u.lower() for u in usernames))
    found = {}
    # In slices: SQLite refuses an expression tree deeper than 1000, and a
    # comment may hold thousands of @words.
    for start in range(0, len(wanted), 100):
        query = reduce(or_, (Q(username__iexact=name) for name in wanted[start : start + 100]))
        found.update((p.username.lower(), p) for p in people(User.objects.filter(query, is_active=True)))
    return tuple(found[n] for n in wanted if n in found)


def people_by_ids(ids) -> tuple[Person, ...]:
    from lindos.accounts.models import User

    found = {p.id: p for p in people(User.objects.filter(pk__in=list(ids)))}
    return tuple(found[i] for i in dict.fromkeys(ids) if i in found)


def admins() -> tuple[Person, ...]:
    from lindos.accounts.models import User

    return tuple(people(User.objects.admins().order_by("pk")))


def person_by_email(email: str) -> Person | None:
    """The active user with this address, if any (for a commit's author)."""
    from lindos.accounts.models import User

    if not email:
        return None
    found = people(User.objects.filter(email__iexact=email.strip(), is_active=True)[:1])
    return found[0] if found else None


# --- loaders for account events ----------------------------------------------


def _user(user_id: int):
    from lindos.accounts.models import User

    return User.objects.get(pk=user_id)


def load_registration(event: events.UserRegistered) -> RegistrationFacts:
    user = person(_user(event.user_id))
    if event.actor_id == event.user_id:  # self-registration, the usual case
        actor = user
    else:
        actor = person(_user(event.actor_id)) if event.actor_id else None
    return RegistrationFacts(
        actor=actor, user=user, admins=admins(), admin_user_url_path=f"/_admin/users/{user.id}/edit"
    )


def load_password_reset(event: events.PasswordResetRequested) -> PasswordResetFacts:
    return PasswordResetFacts(user=person(_user(event.user_id)), reset_url=event.reset_url)


def load_password_managed_elsewhere(event: events.PasswordManagedElsewhere) -> PasswordManagedElsewhereFacts:
    return PasswordManagedElsewhereFacts(user=person(_user(event.user_id)), source=event.source)


def load_password_changed(event: events.PasswordChanged) -> PasswordChangedFacts:
    return PasswordChangedFacts(user=person(_user(event.user_id)))


def load_address_confirm(event: events.AddressConfirmationRequested) -> AddressConfirmFacts:
    return AddressConfirmFacts(
        address=event.address,
        username=event.username,
        purpose=event.purpose,
        confirm_url=event.confirm_url,
        user_id=event.user_id,
        name=event.name,
    )


def load_address_in_use(event: events.AddressInUse) -> AddressInUseFacts:
    return AddressInUseFacts(user=person(_user(event.user_id)), purpose=event.purpose)


def load_test_mail(event: events.TestMailRequested) -> TestMailFacts:
    from django.conf import settings

    from lindos.notifications.sender import current_instance_title

    actor = person(_user(event.actor_id)) if event.actor_id else None
    return TestMailFacts(
        address=event.address, actor=actor, site_title=current_instance_title(settings.LINDOS)
    )
