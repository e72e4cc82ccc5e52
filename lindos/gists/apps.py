from django.apps import AppConfig


class GistsConfig(AppConfig):
    name = "lindos.gists"
    label = "gists"

    def ready(self):
        from django.db.models.signals import post_delete

        from lindos.gists.actions import on_gist_deleted
        from lindos.gists.models import Gist

        # A gist row can also go with its owner (CASCADE): its folder goes
        # with it, whoever deleted the row.
        post_delete.connect(on_gist_deleted, sender=Gist, dispatch_uid="lindos.gists.deleted")
