"""URLs of the activity pages, at Kallithea's paths. Included before the
repository catch-all; the words after REPO (``feed``, ``followers``,
``statistics``) are reserved in repository names."""

from django.urls import path, re_path

from lindos.activity import repo_views, views
from lindos.repos.storage import REPO_NAME_REGEX as REPO

FEED = r"(?P<fmt>rss|atom)"

urlpatterns = [
    path("_admin", views.admin_log, name="admin_home"),
    path("_admin/journal", views.journal, name="journal"),
    re_path(rf"^_admin/journal/{FEED}$", views.journal_feed, name="journal_feed"),
    path("_admin/public_journal", views.public_journal, name="public_journal"),
    re_path(rf"^_admin/public_journal/{FEED}$", views.public_journal_feed, name="public_journal_feed"),
    # Kallithea's older spellings, still routed there.
    re_path(rf"^_admin/public_journal_{FEED}$", views.public_journal_feed, name="public_journal_feed_old"),
    path("_admin/toggle_following", views.toggle_following, name="toggle_following"),
    re_path(rf"^{REPO}/feed/{FEED}$", repo_views.repository_feed, name="repository_feed"),
    re_path(rf"^{REPO}/followers$", repo_views.followers, name="repo_followers_home"),
    re_path(rf"^{REPO}/statistics$", repo_views.statistics_page, name="repo_stats_home"),
]
