"""Repository URLs: creation under ``/_admin``, then everything below
``/REPO/`` (REPO may contain slashes): the git transport first, then the
management pages, then the browser (whose ``/REPO`` summary is the
catch-all)."""

from django.urls import include, path

urlpatterns = [
    path("", include("lindos.transport.urls")),
    path("", include("lindos.repos.browse_urls")),
]
