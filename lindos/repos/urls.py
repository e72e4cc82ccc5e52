"""Repository URLs: creation under ``/_admin``, then everything below
``/REPO/`` (REPO may contain slashes): the git transport first, then the
management pages, then the browser (whose ``/REPO`` summary is the
catch-all). The words after REPO are reserved in names
(``lindos.repos.storage.ROUTE_WORDS``) and ``REPO_NAME_REGEX`` matches no
name containing one, so ``/REPO/files/REV/settings`` is a file, never a
settings page."""

from django.urls import include, path, re_path

from lindos.repos import group_views, views
from lindos.repos.storage import REPO_NAME_REGEX as REPO

GROUP = REPO.replace("repo_name", "group_name")

urlpatterns = [
    path("_admin/repos/new", views.create, name="repo_create"),
    path("_admin/repo_groups", group_views.group_list, name="repo_groups"),
    path("_admin/repo_groups/new", group_views.group_create, name="repo_group_create"),
    re_path(rf"^_admin/repo_groups/{GROUP}/edit$", group_views.group_edit, name="repo_group_edit"),
    re_path(
        rf"^_admin/repo_groups/{GROUP}/permissions$",
        group_views.group_permissions,
        name="repo_group_permissions",
    ),
    re_path(rf"^_admin/repo_groups/{GROUP}/delete$", group_views.group_delete, name="repo_group_delete"),
    path("", include("lindos.transport.urls")),
    re_path(rf"^{REPO}/settings$", views.settings_page, name="repo_settings"),
    re_path(rf"^{REPO}/settings/permissions$", views.permissions_page, name="repo_permissions"),
    re_path(rf"^{REPO}/settings/delete$", views.delete, name="repo_delete"),
    path("", include("lindos.webhooks.urls")),
    re_path(rf"^{REPO}/fork$", views.fork, name="repo_fork"),
    re_path(rf"^{REPO}/forks$", views.forks, name="repo_forks"),
    path("", include("lindos.repos.browse_urls")),
]
