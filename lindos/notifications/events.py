"""What happened, as frozen dataclasses of ids and plain values.

Domain code (accounts, review) records an event with
``lindos.notifications.notify(event)`` inside the transaction that made the
change; it is stored as JSON in that same transaction and a worker later
resolves recipients, renders and writes the outbox rows.  Events therefore
never hold ORM objects, only ids and values (``to_json``/``event_from_json``).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Event:
    # The user whose action caused the mail, or None (system mail).
    actor_id: int | None
    # Where the mail's links point: decided when the action happened
    # (``links.action_base_url``, stamped by ``notify``), because the worker
    # that expands the event has no request.  "" in events recorded outside
    # a request or by an older Lindos (``links.base_url_for`` then decides).
    base_url: str = field(default="", kw_only=True)

    def to_json(self) -> str:
        return json.dumps({"type": type(self).__name__, **dataclasses.asdict(self)})


@dataclass(frozen=True)
class UserRegistered(Event):
    user_id: int


@dataclass(frozen=True)
class PasswordResetRequested(Event):
    user_id: int
    reset_url: str


@dataclass(frozen=True)
class PasswordManagedElsewhere(Event):
    """A password reset was asked for the address of `user_id`, whose
    password an outside source keeps (``source``: ``"ldap"``,
    ``"container"``): no link, which would set a password that login never
    takes; its owner is told where the password is changed instead."""

    user_id: int
    source: str


@dataclass(frozen=True)
class PasswordChanged(Event):
    user_id: int


@dataclass(frozen=True)
class AddressConfirmationRequested(Event):
    """A link to `address` proving its holder asked for it: to finish
    registering (``purpose="registration"``, no account yet) or to make it
    the address of account `user_id` (``"email_change"``)."""

    address: str
    username: str
    purpose: str
    confirm_url: str
    user_id: int | None = None
    name: str = ""


@dataclass(frozen=True)
class AddressInUse(Event):
    """Someone asked to register with (``purpose="registration"``), or to
    move their account to (``"email_change"``), the address of `user_id`;
    the forms answer as if it were free, and its owner is told instead."""

    user_id: int
    purpose: str


@dataclass(frozen=True)
class ChangesetCommented(Event):
    comment_id: int


@dataclass(frozen=True)
class PullRequestCreated(Event):
    """Who is told is decided by what was true at creation, not when a
    worker expands the event: reviewers added (or a description edited)
    meanwhile have mails of their own, or none.  ``None``: an event recorded
    before these were carried; the pull request's current values stand in."""

    pull_request_id: int
    reviewer_ids: tuple[int, ...] | None = None
    description: str | None = None


@dataclass(frozen=True)
class PullRequestReviewersAdded(Event):
    pull_request_id: int
    reviewer_ids: tuple[int, ...]


@dataclass(frozen=True)
class PullRequestCommented(Event):
    """The reviewers at the time of the comment are the ones told (``None``:
    recorded before they were carried; the current reviewers stand in).
    The status change and the closing flag are on the comment's own rows,
    which never change."""

    comment_id: int
    reviewer_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class TestMailRequested(Event):
    address: str


# Every event class, by the name stored with it (``to_json``).
EVENT_TYPES = {cls.__name__: cls for cls in Event.__subclasses__()}


def event_from_json(text: str) -> Event:
    data = json.loads(text)
    cls = EVENT_TYPES[data.pop("type")]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for name, value in data.items():
        if isinstance(value, list):
            data[name] = tuple(value)
    return cls(**{k: v for k, v in data.items() if k in fields})
