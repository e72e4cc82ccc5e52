"""``/REPO/compare`` (the form) and
``/REPO/compare/TYPE@NAME...TYPE@NAME[?other_repo=OTHER&merge=1]``:
Kallithea's comparison of two revisions, possibly across a fork.

The left side ("org") is REPO's, the right side ("other") is OTHER's
(default: REPO); TYPE is ``branch``, ``book``, ``tag`` or ``rev``. The page
lists the changesets the right side has and the left lacks (what merging
the right into the left would bring, oldest first) and their diff: from
the left side's revision (Kallithea's default) or, with ``merge=1`` and
always across repositories, from the common ancestor (what a pull
request would show). When the right side
could be proposed to the left as a pull request, a button opens the new
pull request form with both sides filled in.

The form (``compare_home``) offers each side as a list of named refs and
a text box for a revision typed in (a hash or a name); it redirects to the
comparison's URL, or with ``swap`` to the comparison the other way round.

Policy: both repositories must be readable (any other is a 404, like a
name that does not exist) and of one kind; an unknown ref in the URL is a
404 with its name, typed into the form it is the form again with the
message; sides without common history, or a Mercurial fork that lacks
the other side, get a message (400). Nothing is written to either
repository (``lindos.review.compare.compare_revisions``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render

from lindos.repos.models import Repository
from lindos.repos.permissions import can_read, get_repository_or_404
from lindos.review import compare as review_compare
from lindos.review.forms import build_ref_choices, parse_ref
from lindos.vcs.errors import RevisionNotFound, VCSError
from lindos.vcs.text import display_name

from . import links
from .common import base_context, changeset_row, open_browse
from .diffs import highlight_file_diff, parse_diff, render_rows

REF_TYPES = ("branch", "book", "tag", "rev")

#: Changesets listed on one page; the count says how many there are.
MAX_LISTED = 500

#: The longest revision the form takes typed in (a ref name or a hash).
MAX_TYPED = 255


class CompareError(Exception):
    """Why two sides cannot be compared, for the page (``status``: the
    HTTP answer)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def compare_url(
    repo_name: str, org: tuple[str, str], other: tuple[str, str], other_repo: str = "", **extra
) -> str:
    """``/REPO/compare/TYPE@NAME...TYPE@NAME`` with its query."""
    url = f"/{links.q(repo_name)}/compare/{org[0]}@{links.q(org[1])}...{other[0]}@{links.q(other[1])}"
    query = {"other_repo": other_repo} if other_repo and other_repo != repo_name else {}
    query.update({k: v for k, v in extra.items() if v})
    return url + ("?" + urlencode(query) if query else "")


def other_repositories(repo, user) -> list:
    """What REPO is offered to be compared with: itself, its parent and
    its forks, those the user can read."""
    rows = [repo]
    if repo.fork_of is not None and can_read(user, repo.fork_of):
        rows.append(repo.fork_of)
    rows += [
        r
        for r in Repository.objects.filter(fork_of=repo).select_related("owner").order_by("name")
        if can_read(user, r)
    ]
    return rows


def resolve_ref(row, vcs_repo, ref_type: str, name: str) -> str:
    """Full id of ``ref_type@name`` in ``row``; CompareError 404 if none."""
    if vcs_repo.is_empty():
        raise CompareError(f"There are no changesets yet in {row.name}.", 404)
    if ref_type != "rev":
        found = review_compare.named_ref_id(vcs_repo, ref_type, name)
    else:
        try:
            found = vcs_repo.get_changeset(name).id
        except (RevisionNotFound, VCSError, ValueError):
            found = None
    if found is None:
        raise CompareError(f"Changeset for {ref_type} {display_name(name)} not found in {row.name}.", 404)
    return found


def _other_side(request, browse):
    """(row, VCS handle) of ``?other_repo=`` (default: REPO)."""
    name = request.GET.get("other_repo", "")
    if not name or name == browse.name:
        return browse.db, browse.vcs
    other = get_repository_or_404(request, name)  # unreadable: 404, as if absent
    if other.kind != browse.db.kind:
        raise CompareError("Cannot compare repositories of different types.")
    try:
        return other, review_compare.open_vcs(other)
    except (VCSError, OSError):
        raise CompareError(f"{other.name} cannot be read.", 404)


def build_comparison(a_row, a_rev: str, cs_row, cs_rev: str, merge: bool) -> dict:
    """The page's changesets and diff (see module doc)."""
    try:
        found, repo = review_compare.compare_revisions(cs_row, cs_rev, a_row, a_rev)
    except ValidationError as exc:
        raise CompareError(" ".join(exc.messages))
    except (RevisionNotFound, VCSError):
        raise CompareError("The two sides cannot be compared.")
    listed = found.revisions[-MAX_LISTED:]
    try:
        rows = [changeset_row(cs_row.name, repo.get_changeset(rev)) for rev in reversed(listed)]
        diff = parse_diff(repo.diff(found.base_rev if merge else a_rev, cs_rev))
    except VCSError:
        raise CompareError("The two sides cannot be compared.")
    for fd in diff.files:
        highlight_file_diff(fd)
        fd.rows_html = render_rows(fd)
    return {
        "changesets": rows,
        "changeset_count": len(found.revisions),
        "hidden_count": len(found.revisions) - len(listed),
        "ancestor": found.base_rev,
        "ancestor_url": links.changeset_url(a_row.name, found.base_rev),
        "diff": diff,
    }


def pull_request_url(user, a_row, org: tuple[str, str], cs_row, other: tuple[str, str]) -> str | None:
    """The new pull request form, filled in with the right side into the
    left, when that is a pull request Lindos can open: a logged-in user,
    the right side in REPO or one of its forks, the left side a name."""
    if not user.is_authenticated or org[0] == "rev":
        return None
    if cs_row.pk != a_row.pk and cs_row.fork_of_id != a_row.pk:
        return None
    query = {
        "source_repo": cs_row.name,
        "target_repo": a_row.name,
        "ref": other[1],
        "target_ref": f"{org[0]}:{org[1]}",
    }
    return f"/{links.q(a_row.name)}/pull-request/new?{urlencode(query)}"


def _selector(
    request, browse, other_row, other_vcs, org_value: str = "", other_value: str = "", **typed
) -> dict:
    """The form's choices: REPO's refs on the left, OTHER's on the right;
    a side that is a bare revision is one more choice, selected. ``typed``:
    what was typed into the form's text boxes, shown again."""
    return {
        "org_choices": _choices(browse.vcs, org_value),
        "other_choices": _choices(other_vcs, other_value),
        "other_repos": other_repositories(browse.db, request.user),
        "other_repo": other_row,
        "org_value": org_value,
        "other_value": other_value,
        "org_typed": typed.get("org_typed", ""),
        "other_typed": typed.get("other_typed", ""),
    }


def _choices(vcs_repo, value: str) -> list:
    kind, name = parse_ref(value)
    refs = vcs_repo.named_refs() if not vcs_repo.is_empty() else []
    return build_ref_choices(refs, name if kind == "rev" and name else None)


def resolve_typed(row, vcs_repo, text: str) -> tuple[str, str]:
    """A revision typed into the form, as the side of a comparison URL: a
    branch, bookmark or tag of that name (so it keeps following the name),
    else the full id of the changeset a full or short hash names (so the
    URL does not break when the prefix becomes ambiguous). CompareError
    (shown on the form, 200) if it names nothing in ``row``."""
    if len(text) > MAX_TYPED:
        raise CompareError(f"A revision is at most {MAX_TYPED} characters long.", 200)
    if not vcs_repo.is_empty():
        for kind in ("branch", "book", "tag"):
            if review_compare.named_ref_id(vcs_repo, kind, text) is not None:
                return kind, text
        try:
            return "rev", vcs_repo.get_changeset(text).id
        except (RevisionNotFound, VCSError, ValueError):
            pass
    raise CompareError(
        f"There is no branch, bookmark, tag or changeset {display_name(text)!r} in {row.name}.", 200
    )


def _form_side(request, field: str, row, vcs_repo) -> tuple[str, str]:
    """(kind, name) of one side of the submitted form: the text box
    ``FIELD_rev`` when something is typed there, else the list ``FIELD_ref``
    (("", "") when neither says anything)."""
    typed = request.GET.get(f"{field}_rev", "").strip()
    if typed:
        return resolve_typed(row, vcs_repo, typed)
    kind, name = parse_ref(request.GET.get(f"{field}_ref", "")[:300])
    return (kind, name) if kind and name else ("", "")


def compare_home(request, repo_name: str):
    """The form; submitted (GET ``org_ref``/``org_rev``, ``other_ref``/
    ``other_rev``), it goes to the comparison's own URL, or with ``swap``
    to the comparison the other way round."""
    browse = open_browse(request, repo_name)
    try:
        other_row, other_vcs = _other_side(request, browse)
    except CompareError as exc:
        return _error(request, browse, exc)
    typed = {
        "org_typed": request.GET.get("org_rev", "")[:MAX_TYPED],
        "other_typed": request.GET.get("other_rev", "")[:MAX_TYPED],
    }
    org_value, other_value = request.GET.get("org_ref", "")[:300], request.GET.get("other_ref", "")[:300]
    if "pick" not in request.GET:
        try:
            org = _form_side(request, "org", browse.db, browse.vcs)
            other = _form_side(request, "other", other_row, other_vcs)
        except CompareError as exc:
            return _error(request, browse, exc, (other_row, other_vcs), org_value, other_value, typed)
        if org[0] and other[0]:
            if "swap" in request.GET:
                url = compare_url(other_row.name, other, org, browse.name)
            else:
                url = compare_url(browse.name, org, other, other_row.name)
            return HttpResponseRedirect(url)
    context = base_context(browse, "changelog", compare_home=True)
    context.update(_selector(request, browse, other_row, other_vcs, org_value, other_value, **typed))
    return render(request, "repos/browse/compare.html", context)


def compare(
    request, repo_name: str, org_ref_type: str, org_ref_name: str, other_ref_type: str, other_ref_name: str
):
    browse = open_browse(request, repo_name)
    org = (org_ref_type, org_ref_name.strip())
    other = (other_ref_type, other_ref_name.strip())
    other_row, other_vcs = browse.db, browse.vcs
    try:
        other_row, other_vcs = _other_side(request, browse)
        # Across repositories the diff is always from the common ancestor
        # (as in Kallithea): a git fork is read with the other side's
        # objects borrowed in memory, which ``git diff`` cannot see.
        merge = bool(request.GET.get("merge")) or other_row.pk != browse.db.pk
        a_rev = resolve_ref(browse.db, browse.vcs, *org)
        cs_rev = resolve_ref(other_row, other_vcs, *other)
        found = build_comparison(browse.db, a_rev, other_row, cs_rev, merge)
    except CompareError as exc:
        org_value, other_value = f"{org[0]}:{org[1]}", f"{other[0]}:{other[1]}"
        return _error(request, browse, exc, (other_row, other_vcs), org_value, other_value)
    context = base_context(browse, "changelog", compare_home=False, merge=merge, org=org, other=other)
    context.update(
        _selector(request, browse, other_row, other_vcs, f"{org[0]}:{org[1]}", f"{other[0]}:{other[1]}")
    )
    context.update(found)
    context.update(
        org_label=f"{browse.name}@{display_name(org[1])}",
        other_label=f"{other_row.name}@{display_name(other[1])}",
        swap_url=compare_url(other_row.name, other, org, browse.name, merge="1" if merge else ""),
        merge_url=compare_url(browse.name, org, other, other_row.name, merge="1"),
        plain_url=compare_url(browse.name, org, other, other_row.name)
        if other_row.pk == browse.db.pk
        else "",
        pull_request_url=pull_request_url(request.user, browse.db, org, other_row, other)
        if found["changeset_count"]
        else None,
    )
    return render(request, "repos/browse/compare.html", context)


def _error(request, browse, exc: CompareError, other=None, org_value="", other_value="", typed=None):
    """The form again, with the reason the comparison cannot be shown."""
    context = base_context(browse, "changelog", compare_home=True, compare_error=str(exc))
    other_row, other_vcs = other or (browse.db, browse.vcs)
    context.update(_selector(request, browse, other_row, other_vcs, org_value, other_value, **(typed or {})))
    return render(request, "repos/browse/compare.html", context, status=exc.status)
