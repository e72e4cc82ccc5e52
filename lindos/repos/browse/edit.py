"""``/REPO/edit/REV/PATH``, ``/REPO/add/REV/PATH`` and
``/REPO/delete/REV/PATH``: Kallithea's pages to change files from the
browser, with its form fields (``content``, ``message``, ``filename``,
``location``, ``upload_file``) and one more, ``parent``: the branch tip
the page was made from.

Policy (see ``lindos.repos.editing``): logged-in users with write
permission only (a repository they cannot read is a 404, one they can
only read a 403); REV must name a branch head, else the user is sent back
to the file with a warning, as Kallithea did. A refused change shows the
form again with the reason and the user's text: 400 for bad input, 409
when the branch moved meanwhile, 413 for content over the limit.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from lindos.repos import editing
from lindos.repos.editing import BranchHead, EditRefused
from lindos.repos.permissions import get_repository_or_404
from lindos.repos.storage import UnsafePath
from lindos.vcs import open_repository
from lindos.vcs.errors import BranchMoved, RevisionNotFound, VCSError
from lindos.vcs.text import display_name

from . import links
from .common import breadcrumbs
from .compare import compare_url
from .revisions import get_file_or_404, get_node_or_404

_FULL_ID = re.compile(r"^[0-9a-f]{40}$")


class _Target:
    """One request's repository, branch head and path."""

    def __init__(self, request, repo_name: str, rest: str):
        self.db = get_repository_or_404(request, repo_name, need="write")
        try:
            self.vcs = open_repository(self.db.path)
        except (VCSError, UnsafePath, OSError):
            raise Http404("repository missing on disk")
        self.head, self.rev_text, self.path = _split(self.vcs, rest)

    @property
    def name(self) -> str:
        return self.db.name

    def changeset(self):
        return self.vcs.get_changeset(self.head.tip) if self.head and self.head.tip else None

    def context(self, **extra) -> dict:
        context = {
            "repo": self.db,
            "active_tab": "files",
            "repo_name": self.name,
            "branch": self.head.branch,
            "parent": self.head.tip or "",
            "changeset": self.changeset(),
            "path": self.path,
            "path_display": display_name(self.path),
            "crumbs": breadcrumbs(self.name, self.head.branch, self.path) if self.head.tip else [],
            "files_url": links.files_url(self.name, self.head.branch, self.path) if self.head.tip else "",
            "max_kib": editing.MAX_EDIT_BYTES // 1024,
        }
        context.update(extra)
        return context


def _split(vcs_repo, rest: str) -> tuple[BranchHead | None, str, str]:
    """(branch head, REV as written, PATH) from ``REV/PATH``; branch names
    may hold slashes, so longer prefixes are tried too. The head is None
    when REV names a changeset that is no branch head; 404 when it names
    nothing at all."""
    segments = (rest or "").strip("/").split("/")
    branches = vcs_repo.branches
    for end in range(1, len(segments) + 1):
        rev = "/".join(segments[:end])
        if end > 1 and rev not in branches:  # only a branch name holds a slash
            continue
        head = editing.find_branch_head(vcs_repo, rev)
        if head is not None:
            return head, rev, "/".join(segments[end:])
    try:
        vcs_repo.get_changeset(segments[0])
    except (RevisionNotFound, VCSError, ValueError):
        raise Http404("unknown revision")
    return None, segments[0], "/".join(segments[1:])


def _not_a_branch(request, target: _Target, verb: str):
    messages.warning(request, f"You can only {verb} files with revision being a valid branch.")
    return HttpResponseRedirect(links.files_url(target.name, target.rev_text, target.path))


def _posted_head(request, target: _Target) -> BranchHead:
    """The branch head the user's page was made from (its ``parent``
    field); a form without one (an older client) means the current tip."""
    parent = request.POST.get("parent", "")
    if not parent:
        return target.head
    if not _FULL_ID.match(parent):
        raise EditRefused("The form is damaged (its parent is not a changeset id); reload the page.")
    return BranchHead(target.head.branch, parent)


def _moved_message(target: _Target, head: BranchHead) -> str:
    now = target.head.tip or ""
    return (
        f"{head.branch} has changed since this page was loaded (it is now at {now[:12]}, "
        f"the page was made from {head.tip[:12] if head.tip else 'an empty repository'}). "
        "Nothing was committed. Your text is kept below: compare it with the current version "
        "and submit again."
    )


def _conflict(request, target, template, context):
    """The form again after the branch moved: 409, the user's text kept,
    links to the current version and to what changed."""
    target.vcs = open_repository(target.db.path)
    target.head = editing.find_branch_head(target.vcs, target.head.branch) or target.head
    head = _posted_head(request, target)
    changes_url = ""
    if head.tip and target.head.tip:
        changes_url = compare_url(target.name, ("rev", head.tip), ("branch", target.head.branch))
    context = target.context(
        error=_moved_message(target, head), conflict=True, changes_url=changes_url, **context
    )
    return render(request, template, context, status=409)


def _stale(request, target) -> bool:
    """Whether a POST was made from a page of an older tip."""
    parent = request.POST.get("parent", "")
    return request.method == "POST" and bool(_FULL_ID.match(parent)) and parent != target.head.tip


def _answer(request, target, template, context, action):
    """Run ``action`` (which commits and returns a success message and the
    new id) and answer: the new changeset, or the form with the reason."""
    try:
        text, new = action()
    except EditRefused as exc:
        return render(request, template, target.context(error=str(exc), **context), status=exc.status)
    except BranchMoved:
        return _conflict(request, target, template, context)
    messages.success(request, text)
    return HttpResponseRedirect(links.changeset_url(target.name, new))


def _file_or_conflict(request, target, template, context):
    """(the file at the page's path, None), or (None, a conflict answer)
    when the file is gone from a branch that moved since the page was
    loaded: the user's text is kept rather than lost to a 404."""
    try:
        return get_file_or_404(target.changeset(), target.path), None
    except Http404:
        if _stale(request, target):
            return None, _conflict(request, target, template, context)
        raise


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, repo_name: str, rest: str):
    target = _Target(request, repo_name, rest)
    if target.head is None or target.head.tip is None:
        return _not_a_branch(request, target, "edit")
    template = "repos/browse/file_edit.html"
    posted = {"content": request.POST.get("content", ""), "message": request.POST.get("message", "")}
    node, conflict = _file_or_conflict(request, target, template, {"default_message": "", **posted})
    if conflict is not None:
        return conflict
    try:
        editing.check_editable(node)
    except EditRefused as exc:
        messages.warning(request, str(exc))
        return HttpResponseRedirect(links.files_url(target.name, target.head.branch, target.path))
    context = {"default_message": editing.DEFAULT_MESSAGES["edit"].format(path=display_name(node.path))}
    if request.method != "POST":
        context.update(content=node.content.decode("utf-8"), message="")
        return render(request, template, target.context(**context))
    context.update(posted)

    def action():
        head = _posted_head(request, target)
        content = editing.build_text_content(
            request.POST.get("content", ""), editing.newline_of(node.content)
        )
        editing.check_size(len(content))
        message = editing.build_message(request.POST.get("message"), "edit", display_name(node.path))
        new = editing.do_commit_from_web(target.db, request.user, head, {node.path: content}, message)
        return f"Successfully committed to {display_name(node.path)}", new

    return _answer(request, target, template, context, action)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, repo_name: str, rest: str):
    target = _Target(request, repo_name, rest)
    if target.head is None or target.head.tip is None:
        return _not_a_branch(request, target, "delete")
    template = "repos/browse/file_delete.html"
    node, conflict = _file_or_conflict(
        request, target, template, {"message": request.POST.get("message", "")}
    )
    if conflict is not None:
        return conflict
    context = {
        "default_message": editing.DEFAULT_MESSAGES["delete"].format(path=display_name(node.path)),
        "message": request.POST.get("message", ""),
    }
    if request.method != "POST":
        return render(request, template, target.context(**context))

    def action():
        head = _posted_head(request, target)
        message = editing.build_message(request.POST.get("message"), "delete", display_name(node.path))
        new = editing.do_commit_from_web(target.db, request.user, head, {node.path: None}, message)
        return f"Successfully deleted file {display_name(node.path)}", new

    return _answer(request, target, template, context, action)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add(request, repo_name: str, rest: str):
    target = _Target(request, repo_name, rest)
    if target.head is None:
        return _not_a_branch(request, target, "add")
    if target.head.tip is not None and target.path:
        node = get_node_or_404(target.changeset(), target.path)
        if not node.is_dir:
            raise Http404("not a directory")
    elif target.path:
        raise Http404("an empty repository has no directories")
    template = "repos/browse/file_add.html"
    context = {
        "default_message": editing.DEFAULT_MESSAGES["add"],
        "content": request.POST.get("content", ""),
        "message": request.POST.get("message", ""),
        "filename": request.POST.get("filename", ""),
        "location": target.path,
    }
    if request.method != "POST":
        return render(request, template, target.context(**context))

    def action():
        head = _posted_head(request, target)
        upload = request.FILES.get("upload_file")
        if upload is not None:
            editing.check_size(upload.size)  # before reading it
            content = upload.read()
            filename = upload.name.replace("\\", "/").rpartition("/")[2]
        else:
            content = editing.build_text_content(request.POST.get("content", ""))
            filename = request.POST.get("filename", "")
        location = request.POST.get("location", target.path)
        if not content:
            raise EditRefused("No content: the new file would be empty.")
        editing.check_size(len(content))
        path = editing.build_new_path(location, filename)
        editing.check_new_path(target.vcs, head, path)
        message = editing.build_message(request.POST.get("message"), "add", display_name(path))
        new = editing.do_commit_from_web(target.db, request.user, head, {path: content}, message)
        return f"Successfully committed to {display_name(path)}", new

    return _answer(request, target, template, context, action)
