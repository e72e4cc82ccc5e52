"""Fact loaders for the code-review events: from ids to the plain values
the notification pipeline needs (``lindos.notifications.facts``).

Named by the mail-type registry (``lindos.notifications.mailtypes``).  Who gets mail, the subjects and the
bodies are the pipeline's business; this module only reports what is
true: who commented before, who reviews open pull requests containing a
changeset, who is mentioned, and the code around an inline comment.
"""

from __future__ import annotations

import dataclasses

from lindos.notifications import events as ev
from lindos.notifications import facts as f
from lindos.review import compare, inline
from lindos.review.models import Comment, PullRequest, Status

#: How many changesets a pull request mail lists.
MAX_LISTED_CHANGESETS = 50


def repo_facts(repo) -> f.Repo:
    return f.Repo(id=repo.pk, name=repo.name, owner=f.person(repo.owner))


def changeset_url(repo_name: str, raw_id: str) -> str:
    return f"/{repo_name}/changeset/{raw_id}"


def changeset_facts(repo_name: str, cs) -> f.Changeset:
    return f.Changeset(
        raw_id=cs.id,
        short_id=cs.short_id,
        message=cs.message,
        branch=cs.branch or "",
        author_name=cs.author_name,
        author_email=cs.author_email,
        url_path=changeset_url(repo_name, cs.id),
    )


def pull_request_facts(pr: PullRequest, with_changesets: bool = True) -> f.PullRequest:
    reviewers = tuple(f.person(r.user) for r in pr.reviewers.select_related("user"))
    changesets = ()
    iteration = pr.latest_iteration()
    if with_changesets and iteration is not None:
        listed = iteration.revisions[-MAX_LISTED_CHANGESETS:]
        vcs_repo = compare.compare_vcs(pr)
        changesets = tuple(
            changeset_facts(pr.source_repo.name, vcs_repo.get_changeset(rev)) for rev in listed
        )
    return f.PullRequest(
        id=pr.pk,
        title=pr.title,
        description=pr.description,
        source_branch=pr.source_label,
        target_branch=pr.target_branch,
        owner=f.person(pr.owner),
        reviewers=reviewers,
        url_path=pr.url,
        source_repo_name=pr.source_repo.name,
        changesets=changesets,
    )


def anchor_revisions(comment: Comment, vcs_repo) -> dict:
    """{"old": rev, "new": rev} the comment's sides refer to."""
    if comment.pull_request_id is None:
        parents = vcs_repo.get_changeset(comment.revision).parents
        return {"new": comment.revision, "old": parents[0] if parents else None}
    iteration = (
        comment.pull_request.iterations.filter(source_rev=comment.revision).order_by("-number").first()
    )
    return {"new": comment.revision, "old": iteration.base_rev if iteration else None}


def inline_facts(comment: Comment, vcs_repo) -> f.InlineContext | None:
    if not comment.is_inline:
        return None
    lines = inline.file_lines(vcs_repo, anchor_revisions(comment, vcs_repo)[comment.side], comment.path)
    code = tuple(f.CodeLine(n, text, target) for n, text, target in inline.context(lines, comment.line))
    return f.InlineContext(path=comment.path, line=comment.line, side=comment.side, lines=code)


def status_change(comment: Comment) -> str:
    change = comment.status_changes.order_by("id").first()
    return Status(change.status).label if change else ""


# One comment (or pull request description) mails at most this many of the
# people it @mentions: the first ones named.  Without a cap, one comment
# naming every user would be a way to mail them all.  Those beyond it are
# still linked in the comment, they just get no mail for it.
MENTIONS_MAILED = 20
# @words looked up as usernames, so a comment full of them costs a bounded query.
MENTIONS_LOOKED_UP = 200


def mentioned(text: str) -> tuple[f.Person, ...]:
    """The active users to mail for the @mentions in `text` (see MENTIONS_MAILED)."""
    names = f.extract_mentions(text)[:MENTIONS_LOOKED_UP]
    return f.people_by_usernames(names)[:MENTIONS_MAILED]


def _authors(comments) -> tuple[f.Person, ...]:
    seen = {}
    for c in comments.select_related("author").order_by("id"):
        seen.setdefault(c.author_id, c.author)
    return tuple(f.person(u) for u in seen.values())


def open_pr_reviewers(repo, raw_id: str) -> tuple[f.Person, ...]:
    """Reviewers of open pull requests whose latest iteration contains the
    changeset (from or into `repo`)."""
    from django.db.models import Q

    people = {}
    prs = PullRequest.objects.filter(Q(target_repo=repo) | Q(source_repo=repo), state=PullRequest.OPEN)
    for pr in prs:
        iteration = pr.latest_iteration()
        if iteration is not None and raw_id in iteration.revisions:
            for r in pr.reviewers.select_related("user"):
                people.setdefault(r.user_id, f.person(r.user))
    return tuple(people.values())


def _comment(comment_id: int) -> Comment:
    return Comment.objects.select_related("repository__owner", "author", "pull_request").get(pk=comment_id)


def load_changeset_comment(event: ev.ChangesetCommented) -> f.CommentFacts:
    comment = _comment(event.comment_id)
    repo = comment.repository
    vcs_repo = compare.open_vcs(repo)
    cs = vcs_repo.get_changeset(comment.revision)
    earlier = Comment.objects.filter(
        repository=repo, revision=comment.revision, pull_request=None, pk__lt=comment.pk
    )
    return f.CommentFacts(
        actor=f.person(comment.author),
        repo=repo_facts(repo),
        comment_id=comment.pk,
        text=comment.text,
        url_path=f"{changeset_url(repo.name, cs.id)}#{comment.anchor}",
        changeset=changeset_facts(repo.name, cs),
        inline=inline_facts(comment, vcs_repo),
        status_change=status_change(comment),
        changeset_author=f.person_by_email(cs.author_email),
        earlier_commenters=_authors(earlier),
        open_pr_reviewers=open_pr_reviewers(repo, cs.id),
        mentioned=mentioned(comment.text),
    )


def as_recorded(facts: f.PullRequest, reviewer_ids, description=None) -> f.PullRequest:
    """The pull request as the event recorded it at the time of the action
    (its reviewers, its description); what the event left out (``None``,
    events recorded by older versions) is read as it is now."""
    if reviewer_ids is not None:
        reviewers = sorted(f.people_by_ids(reviewer_ids), key=lambda p: p.username)
        facts = dataclasses.replace(facts, reviewers=tuple(reviewers))
    if description is not None:
        facts = dataclasses.replace(facts, description=description)
    return facts


def load_pull_request_comment(event: ev.PullRequestCommented) -> f.CommentFacts:
    """What decides who is told is as it was when the comment was
    made: the reviewers (on the event), earlier commenters (comments before
    this one), the status change and closing flag (the comment's own rows)."""
    comment = _comment(event.comment_id)
    pr = comment.pull_request
    earlier = Comment.objects.filter(pull_request=pr, pk__lt=comment.pk)
    return f.CommentFacts(
        actor=f.person(comment.author),
        repo=repo_facts(pr.target_repo),
        comment_id=comment.pk,
        text=comment.text,
        url_path=f"{pr.url}#{comment.anchor}",
        pull_request=as_recorded(pull_request_facts(pr, with_changesets=False), event.reviewer_ids),
        inline=inline_facts(comment, compare.compare_vcs(pr)),
        status_change=status_change(comment),
        closing=comment.closes,
        earlier_commenters=_authors(earlier),
        mentioned=mentioned(comment.text),
    )


def load_pull_request_created(event: ev.PullRequestCreated) -> f.PullRequestFacts:
    """The new reviewers and the people mentioned are those of the pull
    request as created: a reviewer added before the worker got here has the
    reviewers-added mail, not this one too."""
    pr = PullRequest.objects.select_related("owner", "target_repo__owner").get(pk=event.pull_request_id)
    facts = as_recorded(pull_request_facts(pr), event.reviewer_ids, event.description)
    actor = f.people_by_ids([event.actor_id])[0] if event.actor_id else facts.owner
    return f.PullRequestFacts(
        actor=actor,
        repo=repo_facts(pr.target_repo),
        pull_request=facts,
        new_reviewers=facts.reviewers,
        mentioned=mentioned(facts.description),
        is_new=True,
    )


def load_reviewers_added(event: ev.PullRequestReviewersAdded) -> f.PullRequestFacts:
    pr = PullRequest.objects.select_related("owner", "target_repo__owner").get(pk=event.pull_request_id)
    facts = pull_request_facts(pr)
    return f.PullRequestFacts(
        actor=f.people_by_ids([event.actor_id])[0],
        repo=repo_facts(pr.target_repo),
        pull_request=facts,
        new_reviewers=f.people_by_ids(event.reviewer_ids),
        mentioned=mentioned(facts.description),
        is_new=False,
    )
