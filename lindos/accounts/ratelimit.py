"""Fixed-window counters shared by every Lindos process: the storage under
login throttling (``throttle``) and the limits on mail one person can cause
(password reset requests, registrations).

A counter is named by a scope (``"login-pair"``, ``"reset-address"``...) and
an identity (a username, a client address, both); it counts up to the end
of its window, then starts again from zero.  Rows live in
``accounts.RateCounter`` (the database: every process and machine shares
it, and an UPDATE is atomic; see the model).  Identities are stored as an
HMAC with the site secret, never as typed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from lindos.accounts.models import RateCounter

# One write in this many also removes counters whose window ended an hour
# ago or more: the table stays as small as the traffic of the last windows.
PURGE_ONE_IN = 200


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` events per ``window`` seconds for one identity."""

    scope: str
    limit: int
    window: int


def counter_key(scope: str, identity: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}\0{identity}".encode("utf-8", "replace"), hashlib.sha256
    ).hexdigest()


def client_network(address: str | None) -> str:
    """The unit an address is counted by: an IPv4 address as it is, an IPv6
    address by its /64 (one customer usually holds a whole /64, so counting
    single IPv6 addresses would give an attacker 2**64 fresh ones)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(scope: str, identity: str, window: int) -> tuple[int, datetime]:
    """Count one event; (the count in the current window, when it ends)."""
    return hit_many([(scope, identity, window)])[0]


def hit_many(counters: list[tuple[str, str, int]]) -> list[tuple[int, datetime]]:
    """Count one event on each (scope, identity, window), in one transaction;
    for each, (its count in the current window including this event, when
    the window ends).

    Each count is one upsert: the database adds 1 to the row under its row
    lock, or starts a new window, in a single statement, so parallel
    requests each get a distinct count (the basis of reserving a login
    attempt, ``throttle``).  A read-then-insert would let two requests both
    start a window, and on MariaDB the duplicate-key path of an INSERT
    deadlocks parallel requests.  Callers pass the counters in one fixed
    order of scopes, so two transactions never wait on each other in a
    circle."""
    now = timezone.now()
    answers = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            for scope, identity, window in counters:
                key = counter_key(scope, identity)
                cursor.execute(_upsert_sql(), _upsert_params(key, now, window))
                answers.append(
                    RateCounter.objects.select_for_update()
                    .filter(key=key)
                    .values_list("count", "expires")
                    .get()
                )
    if random.randrange(PURGE_ONE_IN) == 0:
        RateCounter.objects.filter(expires__lte=now - timedelta(hours=1)).delete()
    return answers


def _upsert_sql() -> str:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    key, count, expires = (connection.ops.quote_name(c) for c in ("key", "count", "expires"))
    if connection.vendor == "mysql":
        # Assignments run left to right: `count` is set while `expires` still
        # holds the old window's end.
        return (
            f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "
            f"ON DUPLICATE KEY UPDATE {count} = IF({expires} > %s, {count} + 1, 1), "
            f"{expires} = IF({expires} > %s, {expires}, VALUES({expires}))"
        )
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} > %s THEN {table}.{count} + 1 ELSE 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} > %s THEN {table}.{expires} ELSE excluded.{expires} END"
    )


def _upsert_params(key: str, now: datetime, window: int) -> list:
    adapt = connection.ops.adapt_datetimefield_value
    return [key, adapt(now + timedelta(seconds=window)), adapt(now), adapt(now)]


def give_back(counters: list[tuple[str, str, datetime]]) -> None:
    """Take back one event from each (scope, identity, window end) that
    ``hit_many`` counted: only from that same window (one that ended and
    started again owes nothing), never below zero.  One transaction, the
    order of the hits."""
    with transaction.atomic():
        for scope, identity, expires in counters:
            RateCounter.objects.filter(key=counter_key(scope, identity), expires=expires, count__gt=0).update(
                count=F("count") - 1
            )


def remember(scope: str, identity: str, seconds: int) -> None:
    """Keep a mark (count 1) for `seconds` from now, whatever was there."""
    key = counter_key(scope, identity)
    expires = timezone.now() + timedelta(seconds=seconds)
    if not RateCounter.objects.filter(key=key).update(count=1, expires=expires):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, count=1, expires=expires)
        except IntegrityError:
            RateCounter.objects.filter(key=key).update(count=1, expires=expires)


def forget(scope: str, identity: str) -> None:
    RateCounter.objects.filter(key=counter_key(scope, identity)).delete()


def peek(*counters: tuple[str, str]) -> dict[tuple[str, str], tuple[int, datetime]]:
    """{(scope, identity): (count, window end)} of the live counters named;
    one query.  A counter absent from the answer stands at zero."""
    keys = {counter_key(scope, identity): (scope, identity) for scope, identity in counters}
    rows = RateCounter.objects.filter(key__in=keys, expires__gt=timezone.now())
    return {
        keys[key]: (count, expires) for key, count, expires in rows.values_list("key", "count", "expires")
    }


def seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def exceeded(limit: Limit, identity: str) -> int:
    """Count one event against `limit`; 0 if it is within the limit, else
    the seconds until the window ends (the event is then to be refused)."""
    count, expires = hit(limit.scope, identity, limit.window)
    return seconds_until(expires) if count > limit.limit else 0


def in_minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
