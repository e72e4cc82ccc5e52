from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "lindos.activity"
    label = "activity"

    def ready(self):
        from django.db.models.signals import post_save

        from lindos.activity import following, statistics_queue
        from lindos.repos.models import Repository
        from lindos.repos.signals import repository_pushed

        # Kallithea made the owner of a new repository follow it, so its
        # activity shows in their journal from the start.
        post_save.connect(
            following.owner_follows_new_repository, sender=Repository, dispatch_uid="lindos.activity.owner"
        )
        # Every accepted push queues an update of the repository's statistics.
        repository_pushed.connect(statistics_queue.on_push, dispatch_uid="lindos.activity.statistics")
