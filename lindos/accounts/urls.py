from django.urls import path

from lindos.accounts import (
    admin_views,
    api_key_views,
    user_group_permission_views,
    user_group_views,
    user_permissions_view,
    views,
)

urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.logout_view, name="logout"),
    path("register", views.register, name="register"),
    path("register/confirm/<str:token>", views.register_confirm, name="register_confirm"),
    path("password_reset", views.password_reset, name="password_reset"),
    path(
        "password_reset_confirmation/<str:uidb64>/<str:token>",
        views.password_reset_confirmation,
        name="password_reset_confirmation",
    ),
    path("my_account", views.my_account, name="my_account"),
    path("my_account/api_key", views.reset_api_key, name="reset_api_key"),
    path("my_account/api_keys", api_key_views.my_api_keys, name="my_api_keys"),
    path("users/<int:user_id>/edit/api_keys", api_key_views.user_api_keys, name="admin_user_api_keys"),
    path("my_account/email/<str:token>", views.confirm_email, name="confirm_email"),
    path("users", admin_views.user_list, name="admin_users"),
    path("users/new", admin_views.user_create, name="admin_user_create"),
    path("users/<int:user_id>/edit", admin_views.user_edit, name="admin_user_edit"),
    path("users/<int:user_id>/toggle/<str:flag>", admin_views.user_toggle, name="admin_user_toggle"),
    path(
        "users/<int:user_id>/permissions",
        user_permissions_view.user_permissions,
        name="admin_user_permissions",
    ),
    path("user_groups", user_group_views.user_group_list, name="admin_user_groups"),
    path("user_groups/new", user_group_views.user_group_create, name="admin_user_group_create"),
    path("user_groups/<int:group_id>/edit", user_group_views.user_group_edit, name="admin_user_group_edit"),
    path(
        "user_groups/<int:group_id>/edit/perms",
        user_group_permission_views.user_group_permissions,
        name="admin_user_group_permissions",
    ),
    path(
        "user_groups/<int:group_id>/delete",
        user_group_views.user_group_delete,
        name="admin_user_group_delete",
    ),
]
