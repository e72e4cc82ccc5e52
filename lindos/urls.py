"""URL map.  Paths are Kallithea's, so old links and bookmarks keep working:
``/_admin/...`` for accounts and administration, ``/REPO/...`` for a
repository (REPO may contain slashes: ``group/sub/repo``)."""

from django.urls import include, path

from lindos import views
from lindos.accounts.profile import user_profile

urlpatterns = [
    path("", views.home, name="home"),
    path("_admin/", include("lindos.api.urls")),
    path("_admin/", include("lindos.accounts.urls")),
    path("_profile/<str:username>", user_profile, name="user_profile"),
    path("_admin/", include("lindos.appsettings.urls")),
    path("_admin/", include("lindos.notifications.urls")),
    path("_admin/", include("lindos.ssh.urls")),
    path("_admin/", include("lindos.externalauth.urls")),
    path("_admin/", include("lindos.gists.urls")),
    path("_admin/", include("lindos.ipaccess.urls")),
    path("", include("lindos.activity.urls")),
    path("", include("lindos.review.urls")),
    path("", include("lindos.search.urls")),
    path("", include("lindos.compat.urls")),
    # Repository pages and the git/hg transport come last: their first path
    # segment is any repository name.
    path("", include("lindos.repos.urls")),
]

handler404 = "lindos.views.not_found"
handler500 = "lindos.views.server_error"
