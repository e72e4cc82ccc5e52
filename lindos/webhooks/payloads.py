"""The JSON bodies webhooks send, built from plain values (no I/O here
except reading the rows passed in).  Every body has ``event``,
``repository`` and ``sender``; the rest depends on the event:

- ``push``: ``ref_changes`` (``ref``, ``old``, ``new`` full ids; all zeros
  means created/deleted, as git says);
- ``pull_request_opened|updated|closed``: ``pull_request``;
- ``comment``: ``comment``, and ``pull_request`` or ``changeset``;
- ``status``: ``status`` (``status``, ``reviewer``), and ``pull_request``
  or ``changeset``.
"""

from __future__ import annotations

import json

from django.conf import settings


def site_url(path: str) -> str:
    """`path` under ``canonical_url`` (just the path when it is not set)."""
    return (settings.LINDOS.canonical_url or "") + path


def repository_data(repo) -> dict:
    return {
        "repo_id": repo.pk,
        "repo_name": repo.name,
        "repo_type": repo.kind,
        "private": repo.private,
        "url": site_url(f"/{repo.name}"),
    }


def user_data(user) -> dict | None:
    if user is None:
        return None
    return {"user_id": user.pk, "username": user.username}


def pull_request_data(pr) -> dict:
    latest = pr.latest_iteration()
    return {
        "pull_request_id": pr.pk,
        "title": pr.title,
        "url": site_url(pr.url),
        "owner": pr.owner.username,
        "state": pr.state,
        "source_repo": pr.source_repo.name,
        "source_ref": pr.source_ref,
        "source_ref_kind": pr.source_ref_kind,
        "target_repo": pr.target_repo.name,
        "target_branch": pr.target_branch,
        "source_rev": latest.source_rev if latest else None,
        "revisions": list(latest.revisions) if latest else [],
    }


def comment_data(comment) -> dict:
    return {
        "comment_id": comment.pk,
        "author": comment.author.username,
        "text": comment.text,
        "path": comment.path or None,
        "line": comment.line,
        "revision": comment.revision or None,
        "closes": comment.closes,
    }


def build_payload(event: str, repo, sender, **parts) -> str:
    """The body for `event` as compact JSON text (what is signed and sent)."""
    body = {"event": event, "repository": repository_data(repo), "sender": user_data(sender)}
    body.update(parts)
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def build_push(repo, pusher, changes) -> str:
    return build_payload(
        "push", repo, pusher, ref_changes=[{"ref": c.ref, "old": c.old, "new": c.new} for c in changes]
    )


def build_pull_request(event: str, pr, actor) -> str:
    return build_payload(event, pr.target_repo, actor, pull_request=pull_request_data(pr))


def build_comment(comment) -> str:
    where = _where(comment)
    return build_payload(
        "comment", comment.repository, comment.author, comment=comment_data(comment), **where
    )


def build_status(comment, status: str) -> str:
    where = _where(comment)
    return build_payload(
        "status",
        comment.repository,
        comment.author,
        status={"status": status, "reviewer": comment.author.username, "comment_id": comment.pk},
        **where,
    )


def _where(comment) -> dict:
    if comment.pull_request_id:
        return {"pull_request": pull_request_data(comment.pull_request)}
    return {
        "changeset": {
            "raw_id": comment.revision,
            "url": site_url(f"/{comment.repository.name}/changeset/{comment.revision}"),
        }
    }
