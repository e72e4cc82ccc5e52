from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lindos.notifications"
    label = "notifications"
