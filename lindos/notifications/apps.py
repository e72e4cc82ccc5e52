from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lindos.notifications"
    label = "notifications"

    def ready(self):
        from django.core.signals import got_request_exception

        from lindos.notifications.error_mail import on_request_exception

        got_request_exception.connect(on_request_exception, dispatch_uid="lindos-error-mail")
