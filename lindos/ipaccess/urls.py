from django.urls import path

from lindos.ipaccess import views

urlpatterns = [
    path("users/<int:user_id>/edit/ips", views.user_ips, name="edit_user_ips"),
    path("users/<int:user_id>/edit/ips/delete", views.user_ips_delete, name="edit_user_ips_delete"),
    path("permissions/ips", views.default_ips, name="admin_permissions_ips"),
    path("permissions/ips/delete", views.default_ips_delete, name="admin_permissions_ips_delete"),
]
