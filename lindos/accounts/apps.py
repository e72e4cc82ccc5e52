from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lindos.accounts"
    label = "accounts"
