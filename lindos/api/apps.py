from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lindos.api"
    label = "api"
