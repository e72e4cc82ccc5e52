"""``/REPO/pull-request/new``: open a pull request, with a preview.

Policy (Kallithea's, adapted):
- the page is reached from REPO; the target is REPO's parent when REPO is a
  fork (the usual case: a fork proposes to its parent), else REPO itself;
  REPO is always offered as a target too;
- the source is REPO or one of its forks the user can read; it must be the
  target itself or a fork of it;
- both sides are chosen from the repository's branches, bookmarks and tags
  (``Repository.named_refs``); ``?ref=REV`` offers that revision too, and
  ``?target_ref=KIND:NAME`` preselects the target (the compare page's
  "Create pull request" button fills in both);
- the changesets and the diff are previewed before creating: the page
  fetches ``/REPO/pull-request/new/preview`` (static JS) when a choice
  changes, and without JS the "Preview" button posts the form and shows the
  page again with the preview.  A preview writes nothing to any repository.
- ``/REPO/pull-request/new/refs?repo=NAME``: the choices for one repository
  of those offered (JSON), for the page's script.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render

from lindos.repos.models import Repository
from lindos.repos.permissions import can_read, get_repository_or_404
from lindos.review import compare
from lindos.review.actions import do_create_pull_request
from lindos.review.forms import PullRequestForm, build_ref_choices, parse_ref
from lindos.review.views.common import validation_message
from lindos.vcs.errors import RevisionNotFound, VCSError

PREVIEW_CHANGESETS = 100  # a preview lists at most this many changesets


def source_repositories(repo, user) -> list:
    """REPO and those of its forks the user can read."""
    forks = [
        r
        for r in Repository.objects.filter(fork_of=repo).select_related("owner").order_by("name")
        if can_read(user, r)
    ]
    return [repo, *forks]


def target_repositories(repo, user) -> list[tuple]:
    """(repository, label) pairs, the default first: the parent of a fork
    (when readable), then REPO itself."""
    targets = []
    parent = repo.fork_of
    if parent is not None and can_read(user, parent):
        targets.append((parent, f"{parent.name} (parent)"))
    targets.append((repo, f"{repo.name} (this repository)" if targets else repo.name))
    return targets


def _chosen(rows, name: str | None, default):
    return next((r for r in rows if r.name == name), default)


def _default_source_ref(vcs_repo, same_repo: bool, target_default: str) -> str:
    """A branch other than the target's when both sides are one repository."""
    refs = [r for r in vcs_repo.named_refs() if r.kind == "branch"]
    if same_repo:
        refs = [r for r in refs if r.name != target_default] or refs
    return refs[0].value if refs else ""


def _asked_revision(vcs_repo, rev: str) -> tuple[str, str | None]:
    """``?ref=`` as a choice value: a named ref, else a revision (offered as
    an extra choice); ("", None) when it names nothing."""
    if not rev:
        return "", None
    for ref in vcs_repo.named_refs():
        if ref.name == rev:
            return ref.value, None
    try:
        full = vcs_repo.get_changeset(rev).id
    except (RevisionNotFound, VCSError, ValueError):
        return "", None
    return f"rev:{full}", full


def _asked_target(vcs_repo, value: str) -> str:
    """``?target_ref=kind:name`` (the compare page's button) when it is one
    of the target's choices, else ""."""
    if not value or vcs_repo.is_empty():
        return ""
    return value if any(ref.value == value for ref in vcs_repo.named_refs()) else ""


def resolve_source_value(source, value: str) -> tuple[str, str, str]:
    """(kind, stored ref, head id) for a chosen source; a bare name is a
    branch if there is one, else an (hg) bookmark, else a revision (as
    older forms sent it)."""
    kind, name = parse_ref(value.strip())
    if not name:
        raise ValidationError("Choose what to merge.")
    if kind == "":
        vcs_source = compare.open_vcs(source)
        kind = "branch" if name in vcs_source.branches else "book" if name in vcs_source.bookmarks else "rev"
    head = compare.resolve_source(source, kind, name)
    stored = "bookmark" if kind == "book" else kind  # followed on push, as a branch is
    return stored, (head if kind == "rev" else name), head


def resolve_target_value(target, value: str) -> str:
    """The target's name as stored; ValidationError unless it names one of
    the target's branches, bookmarks or tags."""
    kind, name = parse_ref(value.strip())
    if not name:
        raise ValidationError("Choose where to merge into.")
    if kind == "rev":
        raise ValidationError("The target must be a branch, bookmark or tag.")
    if kind and compare.named_ref_id(compare.open_vcs(target), kind, name) is None:
        raise ValidationError(f"'{name}' is not {compare.REF_KIND_NAMES[kind]} of {target.name}.")
    compare.target_tip(target, name)  # a bare name: any kind
    return name


def check_related(source, target) -> None:
    if source.pk != target.pk and source.fork_of_id != target.pk:
        raise ValidationError(
            f"{source.name} is not a fork of {target.name}: "
            "a pull request goes into the repository itself or its parent."
        )


def build_preview(source, source_value: str, target, target_value: str) -> dict:
    """The preview's template context: ``changesets`` and ``diff``, or
    ``preview_error`` saying why there is none."""
    from lindos.repos.browse.diffs import highlight_file_diff, parse_diff, render_rows

    try:
        check_related(source, target)
        _, _, head = resolve_source_value(source, source_value)
        target_name = resolve_target_value(target, target_value)
        found, repo = compare.preview(source, head, target, target_name)
        revisions = found.revisions[-PREVIEW_CHANGESETS:]
        changesets = [repo.get_changeset(rev) for rev in revisions]
        diff = parse_diff(repo.diff(found.base_rev, found.source_rev)) if found.revisions else None
    except ValidationError as exc:
        return {"preview_error": validation_message(exc)}
    except (RevisionNotFound, VCSError):
        return {"preview_error": "The two sides cannot be compared."}
    if diff:
        for fd in diff.files:
            highlight_file_diff(fd)
            fd.rows_html = render_rows(fd)
    rows = [
        {
            "short_id": cs.short_id,
            "summary": cs.summary,
            "author": cs.author_name,
            "date": cs.date,
            "url": f"/{source.name}/changeset/{cs.id}",
        }
        for cs in changesets
    ]
    return {
        "preview": True,
        "changesets": rows,
        "diff": diff,
        "hidden_count": len(found.revisions) - len(revisions),
        "source_name": source.name,
        "target_name": target_name,
    }


class _Sides:
    """The repositories offered and chosen on one request of the page."""

    def __init__(self, request, repo):
        data = request.POST if request.method == "POST" else request.GET
        self.sources = source_repositories(repo, request.user)
        self.targets = target_repositories(repo, request.user)
        self.source = _chosen(self.sources, data.get("source_repo") or data.get("source"), repo)
        self.target = _chosen([t for t, _ in self.targets], data.get("target_repo"), self.targets[0][0])
        self.vcs_source = compare.open_vcs(self.source)
        self.vcs_target = compare.open_vcs(self.target)
        self.ref_value, self.extra_rev = _asked_revision(self.vcs_source, request.GET.get("ref", ""))
        self.target_value = _asked_target(self.vcs_target, request.GET.get("target_ref", ""))

    def initial(self) -> dict:
        target_default = self.vcs_target.default_branch if not self.vcs_target.is_empty() else ""
        source_ref = self.ref_value or _default_source_ref(
            self.vcs_source, self.source.pk == self.target.pk, target_default
        )
        return {
            "source_repo": self.source.name,
            "target_repo": self.target.name,
            "source_ref": source_ref,
            "target_ref": self.target_value or (f"branch:{target_default}" if target_default else ""),
        }

    def form(self, data=None, previewing=False) -> PullRequestForm:
        extra = self.extra_rev
        if data is not None:
            kind, name = parse_ref(data.get("source_ref", ""))
            extra = name if kind == "rev" else extra
        return PullRequestForm(
            data,
            initial=self.initial(),
            source_repos=self.sources,
            target_repos=self.targets,
            source_refs=build_ref_choices(self.vcs_source.named_refs(), extra),
            target_refs=build_ref_choices([r for r in self.vcs_target.named_refs()]),
            previewing=previewing,
        )


def _create(request, sides, form):
    data = form.cleaned_data
    try:
        check_related(sides.source, sides.target)
        kind, ref, _ = resolve_source_value(sides.source, data["source_ref"])
        target_name = resolve_target_value(sides.target, data["target_ref"])
        return do_create_pull_request(
            owner=request.user,
            source_repo=sides.source,
            source_ref_kind=kind,
            source_ref=ref,
            target_repo=sides.target,
            target_branch=target_name,
            title=data["title"],
            description=data["description"],
            reviewers=data["reviewers"],
        )
    except ValidationError as exc:
        form.add_error(None, validation_message(exc))
        return None


@login_required
def new(request, repo_name: str):
    repo = get_repository_or_404(request, repo_name)
    sides = _Sides(request, repo)
    previewing = request.method == "POST" and "preview" in request.POST
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if "target_ref" not in data and "target_branch" in data:  # the form's older name
            data["target_ref"] = data["target_branch"]
        data.setdefault("target_repo", sides.target.name)
        data.setdefault("source_repo", sides.source.name)
    form = sides.form(data, previewing)
    context = {
        "repo": repo,
        "active_tab": "pullrequests",
        "form": form,
        "empty": sides.vcs_target.is_empty() or sides.vcs_source.is_empty(),
    }
    status = 200
    if request.method == "POST":
        if form.is_valid() and not previewing:
            pr = _create(request, sides, form)
            if pr is not None:
                messages.success(request, f"Pull request #{pr.pk} created.")
                return HttpResponseRedirect(pr.url)
        status = 200 if previewing and not form.errors else 400
        if not form.has_error("source_ref") and not form.has_error("target_ref"):
            context.update(
                build_preview(
                    sides.source, data.get("source_ref", ""), sides.target, data.get("target_ref", "")
                )
            )
    return render(request, "review/pull_request_new.html", context, status=status)


@login_required
def preview(request, repo_name: str):
    """The preview fragment for the choices in the query string."""
    repo = get_repository_or_404(request, repo_name)
    sides = _Sides(request, repo)
    context = build_preview(
        sides.source,
        request.GET.get("source_ref", "")[:300],
        sides.target,
        request.GET.get("target_ref", "")[:300],
    )
    return render(request, "review/_pr_preview.html", context)


@login_required
def refs(request, repo_name: str):
    """The ref choices of one of the repositories the page offers."""
    repo = get_repository_or_404(request, repo_name)
    offered = source_repositories(repo, request.user) + [
        t for t, _ in target_repositories(repo, request.user)
    ]
    chosen = _chosen(offered, request.GET.get("repo"), None)
    if chosen is None:
        raise Http404("No such repository")
    vcs_repo = compare.open_vcs(chosen)
    groups = build_ref_choices(vcs_repo.named_refs())
    default = "" if vcs_repo.is_empty() else f"branch:{vcs_repo.default_branch}"
    return JsonResponse(
        {"default": default, "groups": [{"label": label, "options": options} for label, options in groups]}
    )
