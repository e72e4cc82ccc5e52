from django.urls import path

from lindos.appsettings import permission_views, views

urlpatterns = [
    path("settings", views.settings_page, name="admin_settings"),
    path("permissions", permission_views.permissions_page, name="admin_permissions"),
]
