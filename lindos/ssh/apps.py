from django.apps import AppConfig


class SshConfig(AppConfig):
    name = "lindos.ssh"
    label = "ssh"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from lindos.ssh.actions import on_user_saved

        post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="lindos.ssh.user_saved")
