"""The registry of mail types: each is declared once, here.

A mail type says which event causes it and how that event's facts are
loaded, who is told (``recipients``), its subject (``subjects``), its
templates (``templates/notifications/mail/<template>.txt`` and ``.html``)
and their context (``contexts``), the ``X-Kallithea-Notification-Type``
header value (Kallithea's, so mail filters keep working), its thread
(``threads``) and the scope of its dedupe keys.  The pipeline, the composer
and the renderer ask the registry and never test the kind of an event or
of its facts themselves.

Adding a mail type: an event in ``events``, a facts class and loader, then
one ``MailType`` below, its two templates, a sample in ``samples`` (the
preview page and the golden files use it) and its tests.  CONTRIBUTING.md
lists the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string

from lindos.notifications import contexts, recipients, subjects, threads
from lindos.notifications import events as ev
from lindos.notifications import facts as f


def _always(facts) -> bool:
    return True


def _no_scope(event) -> str | None:
    return None


def _nobody_acts(facts):
    return None


def _the_actor(facts):
    return facts.actor


def _no_repository(facts) -> int | None:
    return None


def _the_repository(facts) -> int | None:
    return facts.repo.id


@dataclass(frozen=True)
class MailType:
    name: str  # OutboxMail.mail_type
    facts: type  # the facts class it renders
    header: str | None  # X-Kallithea-Notification-Type (None: none)
    subject: Callable  # facts -> subject (no prefix)
    recipients: Callable  # facts -> [Recipient]
    event: type | None = None  # the event that causes it (None: sent directly)
    # event -> facts: a dotted path (the review app's loaders import the
    # models, which this module must not) or the function itself.
    loader: str | Callable = ""
    template: str = ""  # default: name
    applies: Callable = _always  # facts -> bool, when one facts class has two types
    context: Callable = contexts.nothing  # (facts, base_url) -> template context
    thread: Callable = threads.no_thread  # (facts, host) -> [root id, ...]
    dedupe_scope: Callable = _no_scope  # event -> scope of its dedupe keys, or None
    actor: Callable = _nobody_acts  # facts -> Person named in From, or None
    repository: Callable = _no_repository  # facts -> id of the repository it is about
    must_tell_someone: bool = False  # no recipient: the fallback gets it
    sender_setting: str = "app_email_from"  # the setting From is built from

    @property
    def template_name(self) -> str:
        return self.template or self.name

    def load(self, event):
        loader = _import(self.loader) if isinstance(self.loader, str) else self.loader
        return loader(event)


@cache
def _import(path: str):
    return import_string(path)


def _is_pr_comment(facts) -> bool:
    return facts.is_pull_request


def _is_cs_comment(facts) -> bool:
    return not facts.is_pull_request


def _is_new(facts) -> bool:
    return facts.is_new


def _is_added(facts) -> bool:
    return not facts.is_new


REVIEW = "lindos.review.facts."
ACCOUNTS = "lindos.notifications.facts."

MAIL_TYPES: tuple[MailType, ...] = (
    MailType(
        name="cs_comment",
        facts=f.CommentFacts,
        applies=_is_cs_comment,
        header="cs_comment",
        event=ev.ChangesetCommented,
        loader=REVIEW + "load_changeset_comment",
        subject=subjects.changeset_comment_subject,
        recipients=recipients.for_changeset_comment,
        context=contexts.comment,
        thread=threads.comment_thread,
        dedupe_scope=lambda e: f"cs_comment:{e.comment_id}",
        actor=_the_actor,
        repository=_the_repository,
    ),
    MailType(
        name="pull_request_comment",
        facts=f.CommentFacts,
        applies=_is_pr_comment,
        header="pull_request_comment",
        event=ev.PullRequestCommented,
        loader=REVIEW + "load_pull_request_comment",
        subject=subjects.pull_request_comment_subject,
        recipients=recipients.for_pull_request_comment,
        context=contexts.comment,
        thread=threads.comment_thread,
        dedupe_scope=lambda e: f"pr_comment:{e.comment_id}",
        actor=_the_actor,
        repository=_the_repository,
    ),
    MailType(
        name="pull_request",
        facts=f.PullRequestFacts,
        applies=_is_new,
        header="pull_request",
        event=ev.PullRequestCreated,
        loader=REVIEW + "load_pull_request_created",
        subject=subjects.pull_request_subject,
        recipients=recipients.for_pull_request,
        context=contexts.pull_request,
        thread=threads.pull_request_thread,
        dedupe_scope=lambda e: f"pr_created:{e.pull_request_id}",
        actor=_the_actor,
        repository=_the_repository,
    ),
    # Kallithea mailed added reviewers the pull request mail (same type).
    MailType(
        name="pull_request_reviewers",
        template="pull_request",
        facts=f.PullRequestFacts,
        applies=_is_added,
        header="pull_request",
        event=ev.PullRequestReviewersAdded,
        loader=REVIEW + "load_reviewers_added",
        subject=subjects.pull_request_subject,
        recipients=recipients.for_pull_request,
        context=contexts.pull_request,
        thread=threads.pull_request_thread,
        dedupe_scope=lambda e: f"pr_reviewers:{e.pull_request_id}:{sorted(e.reviewer_ids)}",
        actor=_the_actor,
        repository=_the_repository,
    ),
    MailType(
        name="registration",
        facts=f.RegistrationFacts,
        header="registration",
        event=ev.UserRegistered,
        loader=ACCOUNTS + "load_registration",
        subject=subjects.registration_subject,
        recipients=recipients.for_registration,
        context=contexts.registration,
        dedupe_scope=lambda e: f"registration:{e.user_id}",
        actor=_the_actor,
        must_tell_someone=True,
    ),
    # Kallithea's password and test mails carried its "message" type.
    MailType(
        name="password_reset",
        facts=f.PasswordResetFacts,
        header="message",
        event=ev.PasswordResetRequested,
        loader=ACCOUNTS + "load_password_reset",
        subject=subjects.password_reset_subject,
        recipients=recipients.for_account_owner,
    ),
    MailType(
        name="password_managed_elsewhere",
        facts=f.PasswordManagedElsewhereFacts,
        header="message",
        event=ev.PasswordManagedElsewhere,
        loader=ACCOUNTS + "load_password_managed_elsewhere",
        subject=subjects.password_managed_elsewhere_subject,
        recipients=recipients.for_account_owner,
    ),
    MailType(
        name="password_changed",
        facts=f.PasswordChangedFacts,
        header="message",
        event=ev.PasswordChanged,
        loader=ACCOUNTS + "load_password_changed",
        subject=subjects.password_changed_subject,
        recipients=recipients.for_account_owner,
    ),
    # Registration and address changes by mailed link: neither form tells
    # whether an address is in use; the address's owner is told instead.
    MailType(
        name="address_confirm",
        facts=f.AddressConfirmFacts,
        header="message",
        event=ev.AddressConfirmationRequested,
        loader=ACCOUNTS + "load_address_confirm",
        subject=subjects.address_confirm_subject,
        recipients=recipients.for_address_to_confirm,
    ),
    MailType(
        name="address_in_use",
        facts=f.AddressInUseFacts,
        header="message",
        event=ev.AddressInUse,
        loader=ACCOUNTS + "load_address_in_use",
        subject=subjects.address_in_use_subject,
        recipients=recipients.for_account_owner,
    ),
    MailType(
        name="test_mail",
        facts=f.TestMailFacts,
        header="message",
        event=ev.TestMailRequested,
        loader=ACCOUNTS + "load_test_mail",
        subject=subjects.test_mail_subject,
        recipients=recipients.for_test_mail,
    ),
    # Sent by the pipeline itself when a mail's recipients or body could not
    # be worked out.
    MailType(
        name="undeliverable",
        facts=f.UndeliverableFacts,
        header="message",
        subject=subjects.undeliverable_subject,
        recipients=recipients.nobody,
        repository=lambda facts: facts.repo_id,
        must_tell_someone=True,
    ),
    # Error mails are not application mails (Kallithea's came from its error
    # middleware without the header); none, so filters on "message" miss them.
    MailType(
        name="error",
        facts=f.ErrorFacts,
        header=None,
        subject=subjects.error_subject,
        recipients=recipients.nobody,
        sender_setting="error_email_from",
    ),
)

BY_NAME = {t.name: t for t in MAIL_TYPES}
BY_EVENT = {t.event: t for t in MAIL_TYPES if t.event is not None}


def for_event(event) -> MailType:
    """The mail type `event` causes; LookupError if none."""
    try:
        return BY_EVENT[type(event)]
    except KeyError:
        raise LookupError(f"no mail type for the event {type(event).__name__}") from None


def for_facts(facts) -> MailType:
    """The mail type that renders `facts`; LookupError if none."""
    for mail_type in MAIL_TYPES:
        if type(facts) is mail_type.facts and mail_type.applies(facts):
            return mail_type
    raise LookupError(f"no mail type for {type(facts).__name__}")


# -- the questions the pipeline asks, about facts ----------------------------


def recipients_for(facts) -> list:
    """Everyone who should get a mail about `facts`, one row each."""
    return for_facts(facts).recipients(facts)


def subject_for(facts, prefix: str = "") -> str:
    """The complete Subject for a mail about `facts`."""
    return subjects.with_prefix(prefix, for_facts(facts).subject(facts))


def must_tell_someone(facts) -> bool:
    """Mails that may not silently go nowhere: with no recipient they go to
    the fallback (admins and ``email_to``) instead."""
    return for_facts(facts).must_tell_someone


def repository_id(facts) -> int | None:
    """The repository a mail is about (its readers only may get it)."""
    return for_facts(facts).repository(facts)


def load_facts(event):
    """The facts of `event`, by its mail type's loader."""
    return for_event(event).load(event)


def dedupe_scope(event) -> str | None:
    """Events with a natural identity are recorded once per recipient."""
    return for_event(event).dedupe_scope(event)
