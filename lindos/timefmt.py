"""``{{ value|ago }}``: how long ago, as people say it (a template filter
available in every template, see TEMPLATES in settings)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()

JUST_NOW = datetime.timedelta(minutes=1)


def build_ago(value: datetime.datetime, now: datetime.datetime) -> str:
    """ "just now" under a minute (also for a clock slightly ahead), else
    Django's "3 hours, 2 minutes ago"."""
    if now - value < JUST_NOW:
        return "just now"
    return f"{timesince(value, now)} ago"


@register.filter
def ago(value) -> str:
    if not isinstance(value, datetime.datetime):
        return ""
    return build_ago(value, timezone.now())
