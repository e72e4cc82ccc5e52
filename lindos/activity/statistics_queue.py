"""Queuing a statistics update: after every push, and when the statistics
page finds them missing or behind (Kallithea's page started the task too).

Embedded mode puts a job in the prepare spool (``lindos.background.
prepare_queue``), one per repository, so views and pushes in a burst
queue one pass; with Celery, a ``lindos.update_statistics`` task.
Best effort: a lost job only leaves the page saying the figures are being
counted until the next push or visit queues another.
"""

from __future__ import annotations

import logging

log = logging.getLogger("lindos.background")


def queue_statistics(repository_id: int) -> bool:
    """Ask the background worker for a pass; True when queued."""
    from django.conf import settings

    from lindos.background import prepare_queue

    repository_id = int(repository_id)
    if settings.LINDOS.use_celery:
        try:
            from lindos.celery_app import update_statistics_task

            update_statistics_task.apply_async(args=[repository_id], retry=False)
            return True
        except Exception as exc:  # the broker's many errors: the next push or visit queues again
            log.warning("could not publish a statistics update (%s)", " ".join(str(exc).split()))
            return False
    return prepare_queue.spool_statistics(repository_id)


def on_push(sender, repository_id, ref_changes, **kwargs) -> None:
    """``repository_pushed`` receiver: nothing for a repository whose
    statistics are switched off (the worker would skip it anyway)."""
    from lindos.repos.models import Repository

    if Repository.objects.filter(pk=repository_id, enable_statistics=True).exists():
        queue_statistics(repository_id)
