"""Repository browser URLs (summary, changelog, changeset, files, annotate,
raw, archive, compare, and the edit/add/delete pages that commit from the
browser), at Kallithea's paths so old links keep working.

REPO may contain slashes (``group/sub/repo``). Repository names may not have
a segment that is a route word (``lindos.repos.storage.ROUTE_WORDS``), so
the first ``/files/``, ``/changeset/``... after the start splits the URL
unambiguously: REPO is matched lazily up to the first route word. The URL
names are Kallithea's route names; ``lindos.repos.browse.links`` builds the
same URLs without ``reverse``.

Include this list last: its final pattern (``/REPO``) matches any path.
"""

from django.urls import re_path
from django.views.decorators.http import require_safe

from lindos.api.web_access import api_key_allowed
from lindos.repos.browse import (
    annotate,
    archive,
    changelog,
    changeset,
    compare,
    edit,
    files,
    history_urls,
    home,
    raw,
    summary,
)

# Not '_' first (Lindos's own pages), no empty segment; lazily matched.
REPO = r"(?P<repo_name>[^/_][^/]*(?:/[^/]+)*?)"

# The reading pages answer GET and HEAD, anything else is a 405
# (``home.repo_home`` checks for itself, after its answer to hg clients;
# the edit pages, which post, check in ``browse.edit``).
read_only = require_safe


def scripted(view):
    """Pages a script may fetch with its API key (``lindos.api.web_access``)."""
    return api_key_allowed(require_safe(view))


urlpatterns = [
    re_path(rf"^{REPO}/summary/?$", read_only(summary.summary), name="summary_home"),
    re_path(rf"^{REPO}/changelog/?$", read_only(changelog.changelog), name="changelog_home"),
    re_path(rf"^{REPO}/changelog/(?P<rest>.+)$", read_only(changelog.changelog), name="changelog_file_home"),
    re_path(rf"^{REPO}/changeset/(?P<rev>[^/].*?)/?$", read_only(changeset.changeset), name="changeset_home"),
    re_path(
        rf"^{REPO}/raw-changeset/(?P<rev>[^/].*?)/?$",
        scripted(changeset.raw_changeset),
        name="changeset_raw_home",
    ),
    re_path(
        rf"^{REPO}/changeset-patch/(?P<rev>[^/].*?)/?$",
        scripted(changeset.changeset_patch),
        name="changeset_patch_home",
    ),
    re_path(rf"^{REPO}/files/?$", read_only(files.files), name="files_root_home"),
    re_path(rf"^{REPO}/files/(?P<rest>.+)$", read_only(files.files), name="files_home"),
    re_path(rf"^{REPO}/annotate/(?P<rest>.+)$", read_only(annotate.annotate), name="files_annotate_home"),
    re_path(rf"^{REPO}/raw/(?P<rest>.+)$", scripted(raw.raw), name="files_raw_home"),
    re_path(rf"^{REPO}/rawfile/(?P<rest>.+)$", scripted(raw.rawfile), name="files_rawfile_home"),
    re_path(rf"^{REPO}/archive/(?P<fname>[^/].*)$", scripted(archive.archive), name="files_archive_home"),
    *history_urls.urlpatterns,
    re_path(rf"^{REPO}/compare/?$", read_only(compare.compare_home), name="compare_home"),
    re_path(
        rf"^{REPO}/compare/(?P<org_ref_type>branch|book|tag|rev)@(?P<org_ref_name>.*?)"
        r"\.\.\.(?P<other_ref_type>branch|book|tag|rev)@(?P<other_ref_name>.*?)/?$",
        read_only(compare.compare),
        name="compare_url",
    ),
    # Changing files from the browser: GET shows the form, POST commits.
    re_path(rf"^{REPO}/edit/(?P<rest>.+)$", edit.edit, name="files_edit_home"),
    re_path(rf"^{REPO}/add/(?P<rest>.+)$", edit.add, name="files_add_home"),
    re_path(rf"^{REPO}/delete/(?P<rest>.+)$", edit.delete, name="files_delete_home"),
    re_path(rf"^{REPO}/?$", home.repo_home, name="repo_home"),
]
