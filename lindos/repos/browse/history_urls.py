"""URLs of the history pages (file diffs, authors, a changeset's
neighbours and downloads), at Kallithea's paths and route names.
``browse_urls`` includes them before its final catch-all pattern; REPO
is matched as there (lazily, up to the first route word)."""

from django.urls import re_path
from django.views.decorators.http import require_safe

from lindos.api.web_access import api_key_allowed

from . import changeset_nav, file_diffs, file_history, refs

REPO = r"(?P<repo_name>[^/_][^/]*(?:/[^/]+)*?)"


def scripted(view):
    """Answers a script may fetch with its API key (``lindos.api.web_access``)."""
    return api_key_allowed(require_safe(view))


urlpatterns = [
    re_path(
        rf"^{REPO}/changeset_parents/(?P<rev>[^/]+)/?$",
        scripted(changeset_nav.changeset_parents),
        name="changeset_parents",
    ),
    re_path(
        rf"^{REPO}/changeset_children/(?P<rev>[^/]+)/?$",
        scripted(changeset_nav.changeset_children),
        name="changeset_children",
    ),
    re_path(
        rf"^{REPO}/changeset-download/(?P<rev>[^/].*?)/?$",
        scripted(changeset_nav.changeset_download),
        name="changeset_download_home",
    ),
    re_path(
        rf"^{REPO}/changeset-diff/(?P<rev>[^/].*?)/?$",
        scripted(changeset_nav.changeset_diff),
        name="changeset_diff_home",
    ),
    re_path(rf"^{REPO}/diff/(?P<f_path>.+)$", scripted(file_diffs.file_diff), name="files_diff_home"),
    re_path(
        rf"^{REPO}/diff-2way/(?P<f_path>.+)$",
        require_safe(file_diffs.file_diff_2way),
        name="files_diff_2way_home",
    ),
    re_path(rf"^{REPO}/authors/(?P<rest>.+)$", require_safe(file_history.authors), name="files_authors_home"),
    re_path(rf"^{REPO}/history/(?P<rest>.+)$", scripted(file_history.history), name="files_history_home"),
    re_path(rf"^{REPO}/branches/?$", require_safe(refs.branches), name="branches_home"),
    re_path(rf"^{REPO}/tags/?$", require_safe(refs.tags), name="tags_home"),
]
