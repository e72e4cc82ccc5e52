from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "lindos.background"
    label = "background"

    def ready(self):
        # With Celery, every process that writes mail (lindos serve, any other
        # WSGI server, lindos send-test-email ...) announces it to the broker.
        from django.conf import settings

        if settings.LINDOS.use_celery:
            from lindos.background import wakeup

            wakeup.connect()
