from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "lindos.webhooks"
    label = "webhooks"
