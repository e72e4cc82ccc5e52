"""The Celery app: ``lindos worker`` runs it, web processes publish to it
when ``use_celery = true``.

It is configured from the INI file's ``celery.*`` keys (``celery.broker_url``
and any Celery setting, prefix removed, dots read as underscores, as
Kallithea did).  Lindos reads one key of its own there:
``celery.sweep_interval`` (seconds between outbox sweeps in each worker,
default 60).  ``celery.result_backend`` is ignored: no Lindos task has a
result.

The tasks are thin wrappers around ``lindos.background.tasks``; connection
hygiene is in those functions and, for every task, in the
``task_prerun``/``task_postrun`` handlers below (the same thing Celery's
Django fix-up does, stated here so it does not depend on it).
"""

from __future__ import annotations

import logging
import os

from celery import Celery, bootsteps, signals

log = logging.getLogger("lindos.background")

LINDOS_KEYS = {"sweep_interval"}
IGNORED_KEYS = {"result_backend", "imports", "include"}
DEFAULT_SWEEP_SECONDS = 60.0

DEFAULTS = {
    "task_serializer": "json",
    "accept_content": ["json"],
    "task_ignore_result": True,
    # Acknowledge after the task ran: a worker killed mid-task leaves its
    # message to be redelivered (and the sweep finds the rows anyway).
    "task_acks_late": True,
    "task_reject_on_worker_lost": True,
    "worker_prefetch_multiplier": 1,
    "broker_connection_retry_on_startup": True,
    "broker_connection_timeout": 4,
    # Lindos's own logging (the INI's [loggers] or a console log) stays in charge.
    "worker_hijack_root_logger": False,
    "worker_redirect_stdouts": False,
    "task_default_queue": "lindos",
}


def ini_value(text: str):
    """INI values are text; Celery wants booleans and numbers typed."""
    word = text.strip()
    if word.lower() in ("true", "yes", "on"):
        return True
    if word.lower() in ("false", "no", "off"):
        return False
    for kind in (int, float):
        try:
            return kind(word)
        except ValueError:
            pass
    return word


def celery_settings(ini_celery: dict) -> dict:
    """Celery settings from the INI's ``celery.*`` keys over Lindos's defaults."""
    out = dict(DEFAULTS)
    for key, value in ini_celery.items():
        if key in LINDOS_KEYS or key in IGNORED_KEYS:
            continue
        out[key] = ini_value(value) if isinstance(value, str) else value
    return out


def sweep_seconds(ini_celery: dict) -> float:
    value = ini_celery.get("sweep_interval", "")
    try:
        seconds = float(value) if str(value).strip() else DEFAULT_SWEEP_SECONDS
    except ValueError:
        log.warning(
            "celery.sweep_interval = %r is not a number of seconds; using %g", value, DEFAULT_SWEEP_SECONDS
        )
        seconds = DEFAULT_SWEEP_SECONDS
    return max(seconds, 0.5)


def _ensure_django() -> None:
    # ``celery -A lindos.celery_app worker`` arrives here without ``lindos``'s
    # start-up; LINDOS_CONFIG names the INI file then.
    from django.conf import settings

    if not settings.configured or not hasattr(settings, "LINDOS"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindos.settings")
    import django

    django.setup()


def create_app() -> Celery:
    _ensure_django()
    from django.conf import settings

    app = Celery("lindos")
    app.conf.update(celery_settings(settings.LINDOS.celery))
    app.steps["worker"].add(OutboxSweep)
    return app


class OutboxSweep(bootsteps.StartStopStep):
    """Every worker asks for an outbox sweep once at start and then every
    ``celery.sweep_interval`` seconds: rows whose task message was lost
    (broker restarted, worker killed) are delivered.  Several workers
    sweeping at once is safe: rows are claimed.

    The sweep is published as a task from the worker's own timer, not run
    in a thread of the main process: a prefork pool forks children from
    that process, and a fork while another thread holds a lock (a log
    stream, a database driver) leaves the child deadlocked."""

    label = "lindos outbox sweep"
    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        self.timers = []
        self.interval = DEFAULT_SWEEP_SECONDS

    def start(self, worker):
        from django.conf import settings

        self.interval = sweep_seconds(settings.LINDOS.celery)
        self.timers = [
            worker.timer.call_after(1.0, self.publish),
            worker.timer.call_repeatedly(self.interval, self.publish),
        ]
        log.info("outbox sweep every %gs", self.interval)

    def publish(self):
        try:
            # A sweep nobody ran within one interval is replaced by the next.
            sweep_outbox_task.apply_async(expires=max(self.interval, 5.0), retry=False)
        except Exception as exc:  # broker down: the next interval tries again
            log.warning("could not queue the outbox sweep: %s", " ".join(str(exc).split()))

    def stop(self, worker):
        for timer in self.timers:
            timer.cancel()
        self.timers = []


app = create_app()


@app.task(name="lindos.deliver_mail", bind=True)
def deliver_mail_task(self, ids=None):
    """Deliver the outbox rows a web process just committed."""
    from lindos.background.tasks import deliver_mail

    return deliver_mail(ids or None)


@app.task(name="lindos.deliver_webhooks")
def deliver_webhooks_task():
    """Deliver the webhook deliveries that are due (published when a web
    process commits some)."""
    from lindos.background.tasks import deliver_webhooks

    return deliver_webhooks()


@app.task(name="lindos.prepare_pages")
def prepare_pages_task(repository_id, heads):
    """Render what a push made new before its first visitor asks."""
    from lindos.background.tasks import prepare_pages

    return prepare_pages(repository_id, heads)


@app.task(name="lindos.search_index")
def search_index_task(repository_id):
    """Bring a repository's search index up to date after a push."""
    from lindos.search.tasks import index_repository

    return index_repository(repository_id)


@app.task(name="lindos.update_statistics")
def update_statistics_task(repository_id):
    """Count a repository's new changesets into its statistics (one pass;
    it queues the next itself when the history is long)."""
    from lindos.background.tasks import update_statistics

    finished = update_statistics(repository_id)
    if finished is False:  # a long history: the next pass, as a new task
        try:
            update_statistics_task.apply_async(args=[repository_id], retry=False)
        except Exception as exc:  # broker down: the next push or visit queues again
            log.warning("could not queue the next statistics pass: %s", " ".join(str(exc).split()))
    return finished


@app.task(name="lindos.sweep_outbox")
def sweep_outbox_task():
    """Deliver every due row (queued by each worker's timer; also usable
    from ``celery beat``)."""
    from lindos.background.tasks import sweep_outbox

    return sweep_outbox()


@signals.task_prerun.connect(weak=False)
def _connections_before_task(**kwargs):
    from django.db import close_old_connections

    close_old_connections()


@signals.task_postrun.connect(weak=False)
def _connections_after_task(**kwargs):
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_process_init.connect(weak=False)
def _forget_inherited_connections(**kwargs):
    """A pool child must not use (or close over the wire) a connection its
    parent opened: drop the socket without any network I/O, as Celery's
    Django fix-up does, then forget the connection objects."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        raw = conn.connection
        if raw is None:
            continue
        try:
            fd = raw.fileno() if hasattr(raw, "fileno") else raw.pgconn.socket
            os.close(fd)
        except Exception:
            pass
        conn.connection = None
