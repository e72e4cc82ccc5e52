"""URLs of this app (under /_admin/)."""

from django.urls import path

from lindos.notifications import views

urlpatterns = [
    path("settings/email", views.email_settings, name="admin_email_settings"),
    path("settings/email/preview", views.preview_list, name="admin_email_preview_list"),
    path("settings/email/preview/<str:name>", views.preview, name="admin_email_preview"),
]
