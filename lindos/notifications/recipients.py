"""Who gets a mail, and why: pure functions from facts to recipient rows.

The rules (Kallithea's, docs/usage/email.rst, plus @mentions):

- changeset comment: the changeset's author (the user whose email is the
  commit's author email; if none, the repository owner), everyone who
  commented on that changeset before, and reviewers of open pull requests
  containing it;
- pull request created or reviewers added: each new reviewer and, on
  creation, users @mentioned in the description; the creator is informed of
  their own new pull request too, as Kallithea does;
- pull request comment (also a status change or close): the owner, the
  reviewers and everyone who commented on it before;
- anyone @mentioned in a comment;
- password reset or change: that user; registration: every admin;
  test mail: the address asked for;
- address confirmation: the address to confirm (not yet anyone's);
  address in use: the account owning it.

The registry (``mailtypes``) names the rule of each mail type.  One row per
person (the first reason wins); ``why`` turns the reason into the sentence
that person's copy starts with.  The acting user never gets
mail about their own action, except the pull request creator case.  Inactive
users and users without an address get nothing.  Who may read the
repository is decided afterwards (``pipeline``), not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lindos.notifications import facts as f


@dataclass(frozen=True)
class Recipient:
    user_id: int | None
    address: str
    reason: str
    name: str = ""


def _rows(candidates, actor_id=None, keep_actor_reasons=()):
    """Turn (person, reason) pairs into one Recipient per person."""
    seen_users, seen_addresses, rows = set(), set(), []
    for person, reason in candidates:
        if person is None or not person.is_active or not person.email.strip():
            continue
        if person.id == actor_id and reason not in keep_actor_reasons:
            continue
        address = person.email.strip()
        if person.id in seen_users or address.lower() in seen_addresses:
            continue
        seen_users.add(person.id)
        seen_addresses.add(address.lower())
        rows.append(Recipient(person.id, address, reason, person.display_name))
    return rows


def for_changeset_comment(facts: f.CommentFacts) -> list[Recipient]:
    author = facts.changeset_author
    candidates = [
        (author, "changeset author") if author is not None else (facts.repo.owner, "repository owner")
    ]
    candidates += [(p, "commented before") for p in facts.earlier_commenters]
    candidates += [(p, "reviewer of an open pull request") for p in facts.open_pr_reviewers]
    candidates += [(p, "mentioned") for p in facts.mentioned]
    return _rows(candidates, facts.actor.id)


def for_pull_request_comment(facts: f.CommentFacts) -> list[Recipient]:
    pr = facts.pull_request
    candidates = [(pr.owner, "pull request owner")]
    candidates += [(p, "reviewer") for p in pr.reviewers]
    candidates += [(p, "commented before") for p in facts.earlier_commenters]
    candidates += [(p, "mentioned") for p in facts.mentioned]
    return _rows(candidates, facts.actor.id)


def for_pull_request(facts: f.PullRequestFacts) -> list[Recipient]:
    candidates = [(p, "new reviewer") for p in facts.new_reviewers]
    if facts.is_new:
        candidates += [(p, "mentioned") for p in facts.mentioned]
        candidates.append((facts.pull_request.owner, "pull request creator"))
    return _rows(candidates, facts.actor.id, keep_actor_reasons=("pull request creator",))


def for_registration(facts: f.RegistrationFacts) -> list[Recipient]:
    actor_id = facts.actor.id if facts.actor else None
    return _rows([(p, "administrator") for p in facts.admins], actor_id)


def for_account_owner(facts) -> list[Recipient]:
    return _rows([(facts.user, "account owner")])


def for_address_to_confirm(facts: f.AddressConfirmFacts) -> list[Recipient]:
    """The address itself: it is nobody's yet (or not yet the user's)."""
    return [Recipient(facts.user_id, facts.address.strip(), "address to confirm", facts.display_name)]


def for_test_mail(facts: f.TestMailFacts) -> list[Recipient]:
    return [Recipient(None, facts.address.strip(), "test mail")]


def nobody(facts) -> list[Recipient]:
    """Mails sent to fixed addresses by their own code (fallback, errors)."""
    return []


# Why a recipient is told, said at the top of their copy (Kallithea's
# mention mails said it in their title; the subject stays the one people
# filter on, so the body says it).  A reason not listed says nothing.
WHY = {
    "changeset author": "You get this mail because you are the author of the changeset.",
    "repository owner": "You get this mail because you own the repository.",
    "commented before": "You get this mail because you commented on this before.",
    "reviewer of an open pull request": "You get this mail because you review an open pull request containing this changeset.",
    "mentioned": "You get this mail because you were mentioned.",
    "pull request owner": "You get this mail because you own the pull request.",
    "reviewer": "You get this mail because you review the pull request.",
    "new reviewer": "You get this mail because you were asked to review the pull request.",
    "pull request creator": "You get this mail because you created the pull request.",
    "administrator": "You get this mail because you are an administrator.",
    "fallback: administrator": "You get this mail because you are an administrator and nobody else could be told.",
    "fallback: email_to": "You get this mail because this address is in email_to and nobody else could be told.",
}


def why(reason: str) -> str:
    return WHY.get(reason, "")


def fallback_recipients(admins, email_to) -> list[Recipient]:
    """All admins plus the ``email_to`` addresses, one row per address."""
    rows = _rows([(p, "fallback: administrator") for p in admins])
    seen = {r.address.lower() for r in rows}
    for address in email_to:
        if address.lower() not in seen:
            seen.add(address.lower())
            rows.append(Recipient(None, address, "fallback: email_to"))
    return rows
