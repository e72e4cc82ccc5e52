"""After a push: queue the preparation of the pages its first visitors
will open (someone following a notification mail is nearly always the
first viewer of a changeset, its files and their annotation).

``after_push(repository_id, heads)`` is the one entry point, for git (the
``repository_pushed`` signal calls it) and for any other transport that
accepts pushes: ``heads`` are ``(old, new)`` changeset ids, one pair per
branch, tag or bookmark that moved (an all-zero or empty ``old`` for a new
one).  Embedded mode writes a small job file into ``cache_dir/prepare`` and
wakes the prepare loop (in whichever server process runs it); Celery mode
publishes a ``lindos.prepare_pages`` task.  Losing a job costs only a slow
first view, so the spool is simple: a job file is deleted before its work
starts, and a full spool drops new jobs.

The same spool and loop carry the statistics updates queued after a push
(``lindos.activity.statistics_queue``): a job ``{"statistics": ID}``, one
file per repository (queuing it again while it waits adds nothing), taken
after the pages of pushes queued before it.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid

log = logging.getLogger("lindos.background")

#: Jobs waiting at most; more pushes than this before the worker catches
#: up are not prepared (their pages render on demand as always).
MAX_SPOOLED = 200
#: Pairs of heads kept per job (a push of thousands of tags: the first ones).
MAX_HEADS = 20

_waker = None


def set_waker(callback) -> None:
    global _waker
    _waker = callback


def spool_dir() -> str:
    from django.conf import settings

    return os.path.join(settings.LINDOS.cache_dir, "prepare")


def build_job(repository_id: int, heads) -> dict | None:
    """The job for a push, or None when no head moved to a changeset."""
    pairs = []
    for old, new in heads:
        new = (new or "").strip()
        if not new or set(new) == {"0"}:
            continue  # a deleted ref: nothing new to see
        old = (old or "").strip()
        pairs.append([None if not old or set(old) == {"0"} else old, new])
    if not pairs:
        return None
    return {"repository_id": int(repository_id), "heads": pairs[:MAX_HEADS]}


def after_push(repository_id: int, heads) -> bool:
    """Queue the preparation of a push's pages; True when queued."""
    from django.conf import settings

    job = build_job(repository_id, heads)
    if job is None:
        return False
    if settings.LINDOS.use_celery:
        return _publish(job)
    return spool(job)


def _publish(job: dict) -> bool:
    try:
        from lindos.celery_app import prepare_pages_task

        prepare_pages_task.apply_async(args=[job["repository_id"], job["heads"]], retry=False)
        return True
    except Exception as exc:  # the broker's many errors: the pages render on demand
        log.warning("could not publish page preparation (%s)", " ".join(str(exc).split()))
        return False


def spool(job: dict, name: str | None = None) -> bool:
    """Write ``job`` into the spool (as ``name``.json, replacing a job of
    that name, else under a new time-ordered name) and wake the loop."""
    folder = spool_dir()
    try:
        os.makedirs(folder, exist_ok=True)
        if len(os.listdir(folder)) >= MAX_SPOOLED:
            log.warning("prepare spool full (%d jobs); not preparing this push", MAX_SPOOLED)
            return False
        name = name or f"{time.time_ns():020d}-{uuid.uuid4().hex}"
        temp = os.path.join(folder, f".{name}.tmp")
        with open(temp, "w") as fh:
            json.dump(job, fh)
        os.replace(temp, os.path.join(folder, f"{name}.json"))
    except OSError as exc:
        log.warning("could not spool page preparation: %s", exc)
        return False
    if _waker is not None:
        _waker()
    return True


def spool_statistics(repository_id: int) -> bool:
    """Queue a pass of a repository's statistics; queuing it again while
    it waits adds nothing (one job file per repository)."""
    return spool({"statistics": int(repository_id)}, name=f"statistics-{int(repository_id)}")


def prepare_spooled(close_at_end: bool = False) -> int:
    """The embedded prepare loop's pass: every spooled job, oldest first."""
    from django.db import connections

    from lindos.background.tasks import prepare_pages, update_statistics

    done = 0
    try:
        while jobs := take_jobs():
            for job in jobs:
                if "statistics" in job:
                    if update_statistics(job["statistics"]) is False:
                        spool_statistics(job["statistics"])  # a long history: the next pass
                else:
                    prepare_pages(job["repository_id"], job["heads"])
                done += 1
    finally:
        if close_at_end:
            connections.close_all()
    return done


def take_jobs(limit: int = 20) -> list[dict]:
    """The oldest spooled jobs, each removed from the spool as it is read
    (a job that crashes the worker is not retried for ever)."""
    folder = spool_dir()
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))[:limit]
    except FileNotFoundError:
        return []
    jobs = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            with open(path) as fh:
                job = json.load(fh)
            os.unlink(path)
        except (OSError, ValueError) as exc:
            log.warning("dropping unreadable prepare job %s: %s", name, exc)
            try:
                os.unlink(path)
            except OSError:
                pass
            continue
        if isinstance(job, dict) and (
            ("repository_id" in job and "heads" in job) or isinstance(job.get("statistics"), int)
        ):
            jobs.append(job)
    return jobs


def on_push(sender, repository_id, ref_changes, **kwargs) -> None:
    """``repository_pushed`` receiver."""
    after_push(repository_id, [(change.old, change.new) for change in ref_changes])
