"""Kallithea's ``get_api_data`` shapes, built from Lindos's rows.

Fields Lindos has no data for keep their name with Kallithea's empty
value (``clone_uri`` null), so a script reading them
keeps working.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from lindos.accounts.api_keys import api_keys_of
from lindos.vcs import open_repository
from lindos.vcs.errors import VCSError

EMPTY_ID = "0" * 40
EPOCH = datetime.datetime(1970, 1, 1)


def user_data(user, details: bool = False) -> dict:
    data = {
        "user_id": user.pk,
        "username": user.username,
        "firstname": user.first_name,
        "lastname": user.last_name,
        "email": user.email,
        "emails": [user.email],
        "active": user.is_active,
        "admin": user.is_superuser,
    }
    if details:
        data.update(
            {
                "extern_type": "internal",
                "extern_name": user.username,
                "api_key": user.api_key,
                "api_keys": api_keys_of(user),
                "last_login": user.last_login,
                "ip_addresses": [e.network for e in user.allowed_networks.all()],
            }
        )
    return data


def permission_name(level: str) -> str:
    return f"repository.{level}"


def user_permissions(user) -> dict:
    """Kallithea's ``AuthUser.permissions``: global permissions and the
    level on every repository, repository group and user group, as
    ``lindos.repos.permissions`` resolves them."""
    from lindos.accounts.models import UserGroup
    from lindos.appsettings.current import current_app_settings
    from lindos.repos.models import RepoGroup
    from lindos.repos.permissions import (
        explain_group,
        explain_user_group,
        has_global_permission,
        repository_permissions,
    )

    settings = current_app_settings()
    yes_no = {True: "true", False: "false"}
    global_perms = [
        "hg.create.repository" if has_global_permission(user, "create_repository") else "hg.create.none",
        "hg.fork.repository" if has_global_permission(user, "fork") else "hg.fork.none",
        f"hg.repogroup.create.{yes_no[has_global_permission(user, 'create_repo_group')]}",
        f"hg.usergroup.create.{yes_no[has_global_permission(user, 'create_user_group')]}",
        f"repository.{settings.default_repo_permission}",
        f"group.{settings.default_group_permission}",
        f"usergroup.{settings.default_user_group_permission}",
    ]
    if user.is_superuser:
        global_perms.insert(0, "hg.admin")
    repositories = {
        repo.name: permission_name(why.permission) for repo, why in repository_permissions(user).values()
    }
    groups = {
        group.name: f"group.{explain_group(user, group).permission}" for group in RepoGroup.objects.all()
    }
    return {
        "global": global_perms,
        "repositories": repositories,
        "repositories_groups": groups,
        "user_groups": {
            group.name: f"usergroup.{explain_user_group(user, group).permission}"
            for group in UserGroup.objects.only("id", "name", "owner_id", "default_permission")
        },
    }


def numeric_revision(vcs_repo, changeset_id: str) -> int:
    """Kallithea's ``revision``: the changeset's position in its history
    (its number of ancestors)."""
    return vcs_repo.count_changesets(changeset_id) - 1


def changeset_data(vcs_repo, cs, with_file_list: bool = False) -> dict:
    data = {
        "short_id": cs.short_id,
        "raw_id": cs.id,
        "revision": numeric_revision(vcs_repo, cs.id),
        "message": cs.message,
        "date": naive(cs.date),
        "author": cs.author,
    }
    if with_file_list:
        data.update(file_lists(cs))
    return data


def file_lists(cs) -> dict:
    added, changed, removed = [], [], []
    for f in cs.changed_files():
        if f.status == "A":
            added.append(f.path)
        elif f.status == "D":
            removed.append(f.path)
        elif f.status == "R":
            removed.append(f.old_path)
            added.append(f.path)
        else:
            changed.append(f.path)
    return {"added": added, "changed": changed, "removed": removed}


def changeset_dict(vcs_repo, cs) -> dict:
    """Kallithea's ``Changeset.as_dict`` (``get_changeset``)."""
    data = {
        "raw_id": cs.id,
        "short_id": cs.short_id,
        "revision": numeric_revision(vcs_repo, cs.id),
        "date": naive(cs.date),
        "message": cs.message,
        "author": {"name": cs.author_name, "email": cs.author_email},
    }
    data.update(file_lists(cs))
    return data


def naive(value: datetime.datetime) -> datetime.datetime:
    """A commit date as Kallithea shows it: the author's wall clock."""
    return value.replace(tzinfo=None) if value.tzinfo else value


def last_changeset(repo) -> dict:
    empty = {
        "author": "",
        "date": EPOCH,
        "message": "",
        "raw_id": EMPTY_ID,
        "revision": -1,
        "short_id": EMPTY_ID[:12],
    }
    try:
        vcs_repo = open_repository(repo.path)
        if vcs_repo.is_empty():
            return empty
        cs = vcs_repo.get_changeset(None)
    except (VCSError, OSError, ValueError):
        return empty
    return {
        "author": cs.author,
        "date": naive(cs.date),
        "message": cs.message,
        "raw_id": cs.id,
        "revision": numeric_revision(vcs_repo, cs.id),
        "short_id": cs.short_id,
    }


def landing_rev(repo) -> str:
    return f"rev:{repo.landing_rev}" if repo.landing_rev else "rev:tip"


def repo_data(repo, with_revision_names: bool = False, with_pullrequests: bool = False) -> dict:
    data = {
        "repo_id": repo.pk,
        "repo_name": repo.name,
        "repo_type": repo.kind,
        "clone_uri": None,
        "private": repo.private,
        "created_on": repo.created_at,
        "description": repo.description,
        "landing_rev": landing_rev(repo),
        "owner": repo.owner.username,
        "fork_of": repo.fork_of.name if repo.fork_of_id else None,
        "enable_statistics": repo.enable_statistics,
        "enable_downloads": repo.enable_downloads,
        "last_changeset": last_changeset(repo),
    }
    if with_revision_names:
        try:
            vcs_repo = open_repository(repo.path)
            data.update(
                {"tags": vcs_repo.tags, "branches": vcs_repo.branches, "bookmarks": vcs_repo.bookmarks}
            )
        except (VCSError, OSError):
            data.update({"tags": {}, "branches": {}, "bookmarks": {}})
    if with_pullrequests:
        data["pull_requests"] = [
            pull_request_data(pr)
            for pr in repo.pull_requests.select_related("owner", "source_repo", "target_repo")
        ]
    return data


def status_data(status) -> dict:
    return {"status": status.status, "modified_at": status.created_at, "reviewer": status.user.username}


def latest_statuses(queryset) -> list:
    """The latest status per user (older rows are history), oldest first."""
    latest = {}
    for status in queryset.select_related("user").order_by("created_at", "id"):
        latest[status.user_id] = status
    return [status_data(s) for s in sorted(latest.values(), key=lambda s: (s.created_at, s.pk))]


def pull_request_status(pr) -> str:
    """Kallithea's overall status: approved when every reviewer approved,
    rejected when one rejected, else under review (not reviewed without votes)."""
    from lindos.review.models import Status

    votes = {s["reviewer"]: s["status"] for s in latest_statuses(pr.statuses.all())}
    reviewers = list(pr.reviewers.values_list("user__username", flat=True))
    if not votes:
        return Status.NOT_REVIEWED
    if Status.REJECTED in votes.values():
        return Status.REJECTED
    if reviewers and all(votes.get(r) == Status.APPROVED for r in reviewers):
        return Status.APPROVED
    return Status.UNDER_REVIEW


def pull_request_data(pr) -> dict:
    """Kallithea's ``PullRequest.get_api_data``."""
    latest = pr.latest_iteration()
    source_rev = latest.source_rev if latest else ""
    kind = "branch" if pr.source_ref_kind == "branch" else "rev"
    base = settings.LINDOS.canonical_url or ""
    return {
        "pull_request_id": pr.pk,
        "url": pr.url,
        "reviewers": [{"username": u} for u in pr.reviewers.values_list("user__username", flat=True)],
        "revisions": list(reversed(latest.revisions)) if latest else [],
        "owner": pr.owner.username,
        "title": pr.title,
        "description": pr.description,
        "org_repo_url": f"{base}/{pr.source_repo.name}",
        "org_ref_parts": [kind, pr.source_ref if kind == "branch" else pr.source_ref[:12], source_rev],
        "other_ref_parts": ["branch", pr.target_branch, latest.target_rev if latest else ""],
        "status": pull_request_status(pr),
        "comments": [
            {"comment_id": c.pk, "username": c.author.username, "text": c.text}
            for c in pr.comments.select_related("author")
        ],
        "statuses": latest_statuses(pr.statuses.all()),
        "created_on": pr.created_at.replace(microsecond=0),
        "updated_on": pr.updated_at.replace(microsecond=0),
    }
