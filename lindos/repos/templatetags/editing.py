"""The Edit, Delete and Add file buttons of the file browser:
``{% load editing %}{% edit_links "file" %}`` (or ``"dir"``, ``"empty"``).

Shown only to a logged-in user with write permission, and only where a
change can be made: on a branch head (the page's revision is a branch, or
the tip of one), for an edit only on a file the browser can edit
(``lindos.repos.editing.check_editable``).
"""

from django import template

from lindos.repos import editing
from lindos.repos.browse.links import q

register = template.Library()


def edit_url(repo_name: str, word: str, branch: str, path: str) -> str:
    """``/REPO/{edit,add,delete}/BRANCH/PATH``."""
    url = f"/{q(repo_name)}/{word}/{q(branch)}/"
    return url + q(path) if path else url


def _branch_at(vcs_repo, rev_text: str, changeset_id: str) -> str | None:
    """The branch the page shows the tip of: the one named, else any."""
    branches = vcs_repo.branches
    if branches.get(rev_text) == changeset_id:
        return rev_text
    head = editing.find_branch_head(vcs_repo, changeset_id)
    return head.branch if head else None


@register.inclusion_tag("repos/browse/_edit_links.html", takes_context=True)
def edit_links(context, kind: str) -> dict:
    request, repo = context.get("request"), context.get("repo")
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or getattr(repo, "permission", "none") not in ("write", "admin")
    ):
        return {}
    vcs_repo = context.get("vcs_repo")
    if kind == "empty":
        return {"add_url": edit_url(repo.name, "add", vcs_repo.default_branch, "")} if vcs_repo else {}
    changeset = context.get("changeset")
    if vcs_repo is None or changeset is None:
        return {}
    branch = _branch_at(vcs_repo, context.get("rev_text") or "", changeset.id)
    if branch is None:
        return {}
    if kind == "dir":
        return {"add_url": edit_url(repo.name, "add", branch, context.get("path") or "")}
    node = context.get("node")
    links = {"delete_url": edit_url(repo.name, "delete", branch, node.path)}
    try:
        editing.check_editable(node)
        links["edit_url"] = edit_url(repo.name, "edit", branch, node.path)
    except editing.EditRefused:
        pass
    return links
