from django.apps import AppConfig


class AppsettingsConfig(AppConfig):
    name = "lindos.appsettings"
    label = "appsettings"
