from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "lindos.background"
    label = "background"

    def ready(self):
        # With Celery, every process that writes mail (lindos serve, any other
        # WSGI server, lindos send-test-email ...) announces it to the broker.
        from django.conf import settings

        from lindos.background import prepare_queue
        from lindos.repos.signals import repository_pushed

        # Every accepted push queues the preparation of its pages.
        repository_pushed.connect(prepare_queue.on_push, dispatch_uid="lindos.background.prepare")
        if settings.LINDOS.use_celery:
            from lindos.background import wakeup

            wakeup.connect()
