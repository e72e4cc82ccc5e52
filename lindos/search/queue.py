"""Keeping the index up to date: one job per repository that changed.

A push (``repository_pushed``, sent for git and hg alike once the journal
row commits) or a new repository row asks for its repository to be
indexed again.  The job names only the repository: the indexer compares
the branches on disk with what the index holds and reads what changed, so
a job is idempotent and several pushes before the worker gets to them
cost one pass.

Embedded mode (the default) spools the job as an empty file named after
the repository in ``cache_dir/search-index`` (a second push to the same
repository finds the file already there) and wakes the search loop in
whichever ``lindos serve`` process runs it; with ``use_celery = true`` a
``lindos.search_index`` task is published.  A lost job leaves the index
behind until the repository's next push, or ``lindos search-reindex``.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger("lindos.background")

_waker = None


def set_waker(callback) -> None:
    global _waker
    _waker = callback


def spool_dir() -> str:
    from django.conf import settings

    return os.path.join(settings.LINDOS.cache_dir, "search-index")


def enqueue_index(repository_id: int) -> bool:
    """Ask the background worker to bring one repository's index up to
    date; True when the job was queued."""
    from django.conf import settings

    if settings.LINDOS.use_celery:
        return _publish(int(repository_id))
    return _spool(int(repository_id))


def _publish(repository_id: int) -> bool:
    try:
        from lindos.celery_app import search_index_task

        search_index_task.apply_async(args=[repository_id], retry=False)
        return True
    except Exception as exc:  # the broker's many errors: the next push catches up
        log.warning("could not publish search indexing (%s)", " ".join(str(exc).split()))
        return False


def _spool(repository_id: int) -> bool:
    folder = spool_dir()
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, str(repository_id)), "a"):
            pass
    except OSError as exc:
        log.warning("could not spool search indexing: %s", exc)
        return False
    if _waker is not None:
        _waker()
    return True


def take_jobs() -> list[int]:
    """The spooled repository ids, each removed as it is taken (a push
    arriving meanwhile spools it again, for the next pass)."""
    folder = spool_dir()
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    ids = []
    for name in names:
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            continue  # taken by another process's loop
        if name.isdigit():
            ids.append(int(name))
    return ids


def index_spooled(close_at_end: bool = False) -> int:
    """The embedded search loop's pass: every spooled repository."""
    from django.db import connections

    from lindos.search.tasks import index_repository

    done = 0
    try:
        while ids := take_jobs():
            for repository_id in ids:
                index_repository(repository_id)
                done += 1
    finally:
        if close_at_end:
            connections.close_all()
    return done


def on_push(sender, repository_id, **kwargs) -> None:
    """``repository_pushed`` receiver."""
    enqueue_index(repository_id)


def on_repository_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """``post_save`` receiver for repositories: a new row (a fork, a
    repository found on disk) is indexed once its transaction commits."""
    if created and not raw:
        from django.db import transaction

        pk = instance.pk
        transaction.on_commit(lambda: enqueue_index(pk))
