from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "lindos.review"
    label = "review"
