"""Background work: the same task code run in-process (embedded default) or
by Celery workers (``use_celery = true``)."""
