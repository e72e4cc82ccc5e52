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

One row per person (the first reason wins).  The acting user never gets
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
    candidates = [(author, "changeset author") if author is not None
                  else (facts.repo.owner, "repository owner")]
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


def recipients_for(facts) -> list[Recipient]:
    """Everyone who should get a mail about `facts`, one row each."""
    if isinstance(facts, f.CommentFacts):
        if facts.is_pull_request:
            return for_pull_request_comment(facts)
        return for_changeset_comment(facts)
    if isinstance(facts, f.PullRequestFacts):
        return for_pull_request(facts)
    if isinstance(facts, f.RegistrationFacts):
        return for_registration(facts)
    if isinstance(facts, (f.PasswordResetFacts, f.PasswordChangedFacts, f.AddressInUseFacts)):
        return _rows([(facts.user, "account owner")])
    if isinstance(facts, f.AddressConfirmFacts):
        return [Recipient(facts.user_id, facts.address.strip(), "address to confirm", facts.display_name)]
    if isinstance(facts, f.TestMailFacts):
        return [Recipient(None, facts.address.strip(), "test mail")]
    if isinstance(facts, f.UndeliverableFacts):
        return []
    raise TypeError(f"no recipient rules for {type(facts).__name__}")


def must_tell_someone(facts) -> bool:
    """Mails that may not silently go nowhere: with no recipient they go to
    the fallback (admins and ``email_to``) instead."""
    return isinstance(facts, (f.RegistrationFacts, f.UndeliverableFacts))


def repository_id(facts) -> int | None:
    """The repository a mail is about (its readers only may get it)."""
    if isinstance(facts, (f.CommentFacts, f.PullRequestFacts)):
        return facts.repo.id
    if isinstance(facts, f.UndeliverableFacts):
        return facts.repo_id
    return None


def fallback_recipients(admins, email_to) -> list[Recipient]:
    """All admins plus the ``email_to`` addresses, one row per address."""
    rows = _rows([(p, "fallback: administrator") for p in admins])
    seen = {r.address.lower() for r in rows}
    for address in email_to:
        if address.lower() not in seen:
            seen.add(address.lower())
            rows.append(Recipient(None, address, "fallback: email_to"))
    return rows
