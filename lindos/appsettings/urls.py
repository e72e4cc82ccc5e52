from django.urls import path

from lindos.appsettings import views

urlpatterns = [
    path("settings", views.settings_page, name="admin_settings"),
]
