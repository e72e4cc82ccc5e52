"""Kallithea 0.7's URLs that Lindos serves elsewhere (a 301 keeping the
query string), with a page of this package, or with a "not in Lindos" 404.
The README's "Upgrading from Kallithea" has the table.

Included before the repository URLs, whose last pattern takes any path.
The words after REPO here (``repo_size``, ``refs-data``...) are route
words (``lindos.repos.storage.ROUTE_WORDS``), so no repository name ends
in one."""

from django.urls import path, re_path

from lindos.compat import about, absent, json_views, my_account, repo_create, rescan, system
from lindos.compat.redirects import moved
from lindos.repos.storage import REPO_NAME_REGEX as REPO

GROUP = REPO.replace("repo_name", "group_name")
REV = r"(?P<revision>[^/]+)"
ID = r"(?P<user_id>[0-9]{1,18})"
GID = r"(?P<group_id>[0-9]{1,18})"

urlpatterns = [
    # Site-wide
    # An old reset mail's link: its token is Kallithea's, so it is not passed on.
    path("_admin/password_reset_confirmation", moved("/_admin/password_reset", keep_query=False)),
    path("about", about.about, name="about"),
    path("_repos", json_views.repo_switcher_data, name="repo_switcher_data"),
    path("_users_and_groups", json_views.users_and_groups_data, name="users_and_groups_data"),
    re_path(rf"^changeset_info/{REPO}/{REV}$", json_views.changeset_info, name="changeset_info"),
    # Spellings under /_admin that Kallithea never had but that were asked for.
    path("_admin/about", moved("/about")),
    path("_admin/_repos", moved("/_repos")),
    path("_admin/_users_and_groups", moved("/_users_and_groups")),
    re_path(rf"^_admin/changeset_info/{REPO}/{REV}$", moved("/changeset_info/{repo_name}/{revision}")),
    re_path(rf"^{REPO}/changeset_info/{REV}$", moved("/changeset_info/{repo_name}/{revision}")),
    # Repositories and groups (admin side)
    path("_admin/repos", repo_create.repos, name="repos"),
    path("_admin/create_repository", moved("/_admin/repos/new"), name="new_repo"),
    re_path(rf"^_admin/repos/(?!new$){REPO}$", moved("/{repo_name}/settings"), name="update_repo"),
    re_path(rf"^_admin/repo_groups/(?!new$){GROUP}$", moved("/{group_name}"), name="repos_group"),
    re_path(
        rf"^_admin/repo_groups/{GROUP}/edit/advanced$",
        moved("/_admin/repo_groups/{group_name}/edit"),
        name="edit_repo_group_advanced",
    ),
    re_path(
        rf"^_admin/repo_groups/{GROUP}/edit/permissions$",
        moved("/_admin/repo_groups/{group_name}/permissions"),
        name="edit_repo_group_perms",
    ),
    path("_admin/add_repo/<str:new_repo>", moved("/_admin/settings/mapping")),
    re_path(rf"^_admin/search/{REPO}$", moved("/{repo_name}/search")),
    # Users and user groups
    re_path(rf"^_admin/users/{ID}$", moved("/_admin/users/{user_id}/edit")),
    re_path(rf"^_admin/users/{ID}/edit/advanced$", moved("/_admin/users/{user_id}/edit")),
    re_path(rf"^_admin/users/{ID}/edit/permissions$", moved("/_admin/users/{user_id}/permissions")),
    re_path(rf"^_admin/users/{ID}/edit/emails$", absent.admin_page(absent.USER_EMAILS)),
    re_path(rf"^_admin/user_groups/{GID}$", moved("/_admin/user_groups/{group_id}/edit")),
    re_path(rf"^_admin/user_groups/{GID}/edit/members$", moved("/_admin/user_groups/{group_id}/edit")),
    re_path(rf"^_admin/user_groups/{GID}/edit/advanced$", moved("/_admin/user_groups/{group_id}/edit")),
    # Permissions, defaults, settings
    path("_admin/permissions/perms", moved("/_admin/permissions")),
    path("_admin/defaults", absent.admin_page(absent.DEFAULTS), name="defaults"),
    path("_admin/settings/global", moved("/_admin/settings")),
    path("_admin/settings/visual", moved("/_admin/settings")),
    path("_admin/settings/mapping", rescan.rescan_page, name="admin_settings_mapping"),
    path("_admin/settings/system", system.system_info, name="admin_settings_system"),
    path("_admin/settings/hooks", absent.admin_page(absent.HOOKS)),
    path("_admin/settings/search", absent.admin_page(absent.SEARCH)),
    # My account
    path("_admin/my_account/password", moved("/_admin/my_account")),
    path("_admin/my_account/perms", my_account.my_permissions, name="my_account_perms"),
    path("_admin/my_account/repos", my_account.my_repositories, name="my_account_repos"),
    path("_admin/my_account/watched", my_account.my_watched, name="my_account_watched"),
    path("_admin/my_account/emails", absent.own_page(absent.EMAILS)),
    # A repository's pages
    re_path(rf"^{REPO}/settings/advanced$", moved("/{repo_name}/settings"), name="edit_repo_advanced"),
    re_path(rf"^{REPO}/settings/fields$", absent.repository_admin_page(absent.FIELDS)),
    re_path(rf"^{REPO}/settings/remote$", absent.repository_admin_page(absent.REMOTE)),
    re_path(rf"^{REPO}/changelog_details/{REV}$", moved("/{repo_name}/changeset/{revision}")),
    re_path(rf"^{REPO}/refs-data$", json_views.repo_refs_data, name="repo_refs_data"),
    re_path(rf"^{REPO}/repo_size$", json_views.repo_size, name="repo_size"),
    re_path(rf"^{REPO}/repo_creating$", moved("/{repo_name}"), name="repo_creating_home"),
    re_path(rf"^{REPO}/repo_check_creating$", json_views.repo_check_creating, name="repo_check_home"),
]
