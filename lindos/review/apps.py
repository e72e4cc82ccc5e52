from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "lindos.review"
    label = "review"

    def ready(self):
        from lindos.repos.signals import repository_pushed

        repository_pushed.connect(_on_push, dispatch_uid="lindos.review.update_after_push")
        _register_changeset_hook()


def _on_push(sender, repository_id, user_id=None, ref_changes=(), **kwargs):
    from lindos.review.actions.pull_requests import update_after_push

    update_after_push(repository_id, ref_changes)


def _register_changeset_hook():
    # The repository browser's changeset page shows the review comments.
    from lindos.repos.browse.changeset import register_changeset_hook
    from lindos.review.views.changeset import changeset_hook

    register_changeset_hook(changeset_hook)
