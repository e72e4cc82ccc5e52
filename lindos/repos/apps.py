from django.apps import AppConfig


class ReposConfig(AppConfig):
    name = "lindos.repos"
    label = "repos"
