"""``/_admin/repos``: GET was Kallithea's repository list (Lindos lists
them on the front page), POST its "create repository" form. The POST is
read with Kallithea's field names and handed to Lindos's creation page,
which checks the right to create, the name and the CSRF token as always."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.views.decorators.http import require_http_methods

from lindos.compat.redirects import build_local_target
from lindos.repos import views as repo_views
from lindos.repos.permissions import readable_repo_groups

#: Kallithea's form field -> Lindos's (``lindos.repos.forms.RepositoryCreateForm``).
FIELDS = {
    "repo_type": "kind",
    "repo_description": "description",
    "repo_private": "private",
    "repo_copy_permissions": "copy_group_permissions",
    "owner": "owner",
}


def build_lindos_form(data: QueryDict, group_name: str | None, username: str) -> QueryDict:
    """Kallithea's create form as Lindos's: ``repo_name`` is the last part
    of the name, ``repo_group`` the id of the group it goes in; the owner
    (which Lindos asks admins for) is ``username`` unless given."""
    form = QueryDict(mutable=True)
    for name in ("csrfmiddlewaretoken",):
        if name in data:
            form[name] = data[name]
    base = data.get("repo_name", "").strip().strip("/")
    form["name"] = f"{group_name}/{base}" if group_name else base
    for kallithea, lindos in FIELDS.items():
        if kallithea in data:
            form[lindos] = data[kallithea]
    form.setdefault("owner", username)
    return form


def _group_name(user, group_id: str) -> str | None:
    """The name of the group with Kallithea's id ``group_id`` (``-1`` or
    empty: none); a group the user may not read is a 404."""
    group_id = group_id.strip()
    if group_id in ("", "-1"):
        return None
    if not group_id.isdigit() or len(group_id) > 18:
        raise Http404("No such repository group")
    group = readable_repo_groups(user).filter(pk=int(group_id)).first()
    if group is None:
        raise Http404("No such repository group")
    return group.name


@require_http_methods(["GET", "HEAD", "POST"])
def repos(request):
    if request.method == "POST":
        return _create(request)
    return HttpResponsePermanentRedirect(build_local_target("/", request.META.get("QUERY_STRING", "")))


@login_required
def _create(request):
    group_name = _group_name(request.user, request.POST.get("repo_group", ""))
    request.POST = build_lindos_form(request.POST, group_name, request.user.username)
    return repo_views.create(request)
