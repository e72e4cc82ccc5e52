"""The background work itself, as plain functions.

The embedded thread (``embedded``) and the Celery tasks (``lindos.celery_app``)
both call these, so the two modes run one code path.  Each function starts
and ends on connection hygiene: Django's ``close_old_connections`` before
(drops a connection past ``CONN_MAX_AGE`` or broken, and re-arms the
``CONN_HEALTH_CHECKS`` ping so the first query of the task runs on a live
connection) and after.  That is what keeps a task from failing on a
connection the database closed while the process was idle (MySQL's
``wait_timeout``, a PostgreSQL restart): Kallithea's known failure in its commit
message.
"""

from __future__ import annotations

import contextlib
import logging

from django.db import InterfaceError, OperationalError, close_old_connections, connections

log = logging.getLogger("lindos.background")

# Rows claimed per delivery call: small, so several workers share a backlog
# and a killed worker strands few claimed rows.  A pass repeats until
# nothing is due.
BATCH = 50
# A pass stops after this many batches so one busy pass cannot starve the
# rest of the loop (it resumes on the next wake-up or poll).
MAX_BATCHES_PER_PASS = 200


@contextlib.contextmanager
def fresh_connections(close_at_end: bool = False):
    """Run a unit of work between two ``close_old_connections`` calls.

    ``close_at_end`` closes every connection of this thread afterwards, for
    loops that then sleep: nothing is held while idle, so nothing can go
    stale (and nothing is inherited half-used by a forked pool child).
    """
    close_old_connections()
    try:
        yield
    finally:
        if close_at_end:
            connections.close_all()
        else:
            close_old_connections()


@contextlib.contextmanager
def outage_tolerated(what: str):
    """A database that is down or restarting ends this unit of work with a
    warning, not an error: the rows stay in the outbox (pending, or claimed
    until the lease ends) and the next wake-up, task or sweep retries them.
    Other database errors are bugs and propagate."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        log.warning(
            "%s stopped: database unavailable (%s); the outbox keeps the mail and it is retried",
            what,
            " ".join(str(exc).split()),
        )


def log_report(report, what: str) -> int:
    """Say what a delivery call did, at INFO (failures are also logged, mail
    by mail with the reason, by ``delivery``); returns the rows it handled."""
    if not report.claimed:
        return 0
    by_state: dict[str, list[int]] = {}
    for result in report.results:
        by_state.setdefault(result.state, []).append(result.id)
    parts = []
    for state, ids in sorted(by_state.items()):
        shown = ", ".join(f"#{i}" for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
        parts.append(f"{state}: {shown}")
    log.info("%s: %s (%s)", what, report, "; ".join(parts))
    return report.claimed


def deliver_mail(ids=None) -> int:
    """Deliver the given outbox rows (as announced on enqueue), or every due
    row when `ids` is empty.  Rows already delivered or claimed by another
    worker are skipped by the claim in ``delivery``.  Returns rows handled."""
    from lindos.notifications import delivery

    handled = 0
    with fresh_connections(), outage_tolerated("delivery"):
        if ids:
            handled = log_report(delivery.deliver_rows(list(ids)), "delivery")
        else:
            handled = log_report(delivery.deliver_due(limit=BATCH), "delivery")
    return handled


def deliver_all_due(close_at_end: bool = False, what: str = "delivery") -> int:
    """Deliver due rows batch after batch until none is left (the sweep and
    the embedded loop).  This is what finds rows whose enqueue message was
    lost: a broker restarted, a worker killed, a process stopped before its
    wake-up ran."""
    from lindos.notifications import delivery

    total = 0
    with fresh_connections(close_at_end=close_at_end), outage_tolerated(what):
        for _ in range(MAX_BATCHES_PER_PASS):
            handled = log_report(delivery.deliver_due(limit=BATCH), what)
            total += handled
            if handled == 0:
                break
            # The next batch is a new unit of work: start it on a checked connection.
            close_old_connections()
    return total


def sweep_outbox() -> int:
    """The periodic sweep: deliver whatever is due (rows whose wake-up was
    lost or late, retries whose backoff ended), mail and webhooks, then hold
    no connection."""
    return deliver_all_due(close_at_end=True, what="outbox sweep") + deliver_webhooks(
        close_at_end=True, what="webhook sweep"
    )


def deliver_webhooks(close_at_end: bool = False, what: str = "webhooks") -> int:
    """Deliver due webhook deliveries batch after batch until none is left
    (the embedded webhook thread, the Celery task and the sweep).  Claims
    work as for mail (``lindos.notifications.claims``)."""
    from lindos.webhooks import delivery

    total = 0
    with fresh_connections(close_at_end=close_at_end), outage_tolerated(what):
        for _ in range(MAX_BATCHES_PER_PASS):
            report = delivery.deliver_due(limit=BATCH)
            if report.claimed:
                log.info("%s: %s", what, report)
            total += report.claimed
            if report.claimed == 0:
                break
            close_old_connections()
    return total


def prepare_pages(repository_id: int, heads) -> bool:
    """Render a push's pages ahead of their first view (bounded in time and
    size: ``lindos.repos.browse.prepare``).  A failure only costs a slow
    first view: it is logged, never raised to the loop."""
    from lindos.repos.browse.prepare import prepare_push

    with fresh_connections(), outage_tolerated("page preparation"):
        try:
            return prepare_push(repository_id, heads) is not None
        except Exception:
            log.exception("preparing pages of repository #%s failed", repository_id)
    return False


def update_statistics(repository_id: int) -> bool | None:
    """One bounded pass of a repository's commit statistics
    (``lindos.activity.statistics``): True when they are complete, False
    when the caller should queue another pass, None when there was nothing
    to count. A failure is logged, never raised to the loop."""
    from lindos.activity import statistics

    with fresh_connections(), outage_tolerated("statistics"):
        try:
            return statistics.do_update_statistics(int(repository_id))
        except Exception:
            log.exception("statistics of repository #%s failed", repository_id)
    return None
