from django.urls import path

from lindos.ssh import views

urlpatterns = [
    path("my_account/ssh_keys", views.my_ssh_keys, name="my_account_ssh_keys"),
    path("my_account/ssh_keys/delete", views.my_ssh_keys_delete, name="my_account_ssh_keys_delete"),
    path("users/<int:user_id>/edit/ssh_keys", views.user_ssh_keys, name="edit_user_ssh_keys"),
    path(
        "users/<int:user_id>/edit/ssh_keys/delete",
        views.user_ssh_keys_delete,
        name="edit_user_ssh_keys_delete",
    ),
]
