"""Search URLs, Kallithea's: ``/_admin/search`` and ``/REPO/search``
(``search`` is a route word: no repository name segment can be it).
Included before the repository URLs."""

from django.urls import path, re_path

from lindos.search import views

REPO = r"(?P<repo_name>[^/_][^/]*(?:/[^/]+)*?)"

urlpatterns = [
    path("_admin/search", views.search, name="search"),
    re_path(rf"^{REPO}/search/?$", views.search, name="search_repo"),
]
