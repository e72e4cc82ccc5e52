"""Keeping Kallithea's timestamps on rows Django would stamp "now"."""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def kept_timestamps(*models):
    """Turn ``auto_now`` / ``auto_now_add`` off on ``models`` for the block,
    so imported rows keep the creation times they had in Kallithea."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add
