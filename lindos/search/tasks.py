"""The indexing step the embedded loop and the Celery task both run."""

from __future__ import annotations

import logging

log = logging.getLogger("lindos.background")


def index_repository(repository_id: int) -> bool:
    """Bring one repository's index up to date.  A failure is logged, never
    raised to the loop: the repository's next push tries again."""
    from lindos.background.tasks import fresh_connections, outage_tolerated
    from lindos.search.indexer import do_index_repository

    with fresh_connections(), outage_tolerated("search indexing"):
        try:
            report = do_index_repository(repository_id)
        except Exception:
            log.exception("indexing repository #%s for search failed", repository_id)
            return False
        if report is not None and report.changed:
            log.info("search index of repository #%s: %s", repository_id, report)
        return True
    return False
