"""Kallithea's gist URLs (``/_admin/gists/...``), included under ``_admin/``."""

from django.urls import path

from lindos.gists import views

urlpatterns = [
    path("gists", views.gists, name="gists"),
    path("gists/new", views.new, name="new_gist"),
    path("gists/<str:gist_id>/delete", views.delete, name="gist_delete"),
    path("gists/<str:gist_id>/edit", views.edit, name="edit_gist"),
    path("gists/<str:gist_id>", views.show, name="gist"),
    path("gists/<str:gist_id>/<str:revision>", views.show, name="gist_rev"),
    path("gists/<str:gist_id>/<str:revision>/<str:format>", views.show, name="formatted_gist"),
    path(
        "gists/<str:gist_id>/<str:revision>/<str:format>/<path:f_path>",
        views.show,
        name="formatted_gist_file",
    ),
]
