from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "lindos.search"
    label = "search"

    def ready(self):
        from django.db.models.signals import post_save

        from lindos.repos.models import Repository
        from lindos.repos.signals import repository_pushed
        from lindos.search import queue

        # Every accepted push (git and hg alike) brings the index up to date;
        # so does a new repository row (a fork, a repository found by
        # repo-scan), whose history arrived without a push.
        repository_pushed.connect(queue.on_push, dispatch_uid="lindos.search.push")
        post_save.connect(queue.on_repository_saved, sender=Repository, dispatch_uid="lindos.search.created")
