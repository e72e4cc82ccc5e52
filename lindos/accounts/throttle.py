"""Throttling password guessing, for every way of logging in.

Every login path calls this module, whatever checks the secret: the web
login form (``web``), git and hg Basic auth (``git``, ``hg``), SSH
(``ssh``) and the JSON-RPC API (``api``).  The interface::

    refusal = throttle.check(username, address, channel)
    if refusal is not None:
        # refuse now, BEFORE hashing anything: refusal.message is the text
        # for the person, refusal.retry_after the seconds to wait (HTTP:
        # 429 with Retry-After).  check() has logged the refusal.
        ...
    user = <verify the secret>
    if user is None:
        throttle.record_failure(username, address, channel)
    else:
        throttle.record_success(user.username, address, channel)

``username`` is what the client typed (unknown names are counted exactly
like real ones, so throttling never tells whether an account exists);
``address`` is the client's IP address (``request.META["REMOTE_ADDR"]``;
for SSH the first word of ``SSH_CONNECTION``), or None when unknown.
A caller that authenticates without a guessable secret (an SSH key) calls
``check`` only, to honour a throttle already in force.

The policy.  The counters are shared by all channels (ten guesses over git
and ten over the web are twenty); only failures count, and a refused attempt
is not a failure (it checked nothing):

- **account and address**: 10 failures in 15 minutes for one account from
  one address (an IPv6 /64) refuse that account from that address until the
  15 minutes are over.  A success from that address clears this counter.
- **address**: 30 failures in 15 minutes from one address, for any
  accounts (password spraying), refuse every login from that address,
  except to accounts that logged in from it before.
- **account**: 100 failures in an hour for one account, from any
  addresses (a botnet), refuse that account from addresses it never logged
  in from.

The check and the count are separate queries, so attempts arriving at
the same instant may pass a limit by as many as are in flight (16 parallel
clients got 17 tries instead of 10 in bench/login_flood.py); every later
attempt is refused.

"Logged in from it before" means a success from that address in the last
30 days.  So an attacker can never lock the owner out of the addresses they
use; only a distributed attack delays the owner at a new address, by up to
an hour.  A Lindos behind a reverse proxy sees the proxy's address for
everyone and must pass the client's address on (README, "Logins").

State lives in ``accounts.RateCounter`` through ``ratelimit`` (the
database, shared by every process and machine).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lindos.accounts import ratelimit
from lindos.accounts.ratelimit import Limit, client_network, in_minutes

log = logging.getLogger(__name__)

CHANNELS = ("web", "git", "hg", "ssh", "api")

PAIR = Limit("login-pair", 10, 15 * 60)
ADDRESS = Limit("login-address", 30, 15 * 60)
ACCOUNT = Limit("login-account", 100, 60 * 60)
KNOWN = "login-known"
KNOWN_SECONDS = 30 * 24 * 3600
REMARK_SECONDS = 24 * 3600  # a success renews the 30 days at most once a day

_MESSAGES = {
    "pair": "Too many failed logins for this account from your address. Try again in {wait}.",
    "address": "Too many failed logins from your address. Try again in {wait}.",
    "account": (
        "Too many failed logins for this account from many addresses. Log in from an "
        "address you used before, or try again in {wait}."
    ),
}


@dataclass(frozen=True)
class Refusal:
    scope: str  # "pair", "address" or "account": which limit is in force
    retry_after: int  # seconds until it ends

    @property
    def message(self) -> str:
        return _MESSAGES[self.scope].format(wait=in_minutes(self.retry_after))


def _ids(username: str, address: str | None) -> tuple[str, str, str]:
    account = (username or "").strip().lower()
    network = client_network(address)
    return account, network, f"{account}\0{network}"


def _describe(username, address, channel) -> str:
    # repr(): a username is whatever the client sent, newlines included.
    return f"channel={channel} username={username!r} address={address or 'unknown'}"


def check(username: str, address: str | None, channel: str) -> Refusal | None:
    """None if a login attempt may go ahead, else the Refusal (logged)."""
    assert channel in CHANNELS, channel
    account, network, pair = _ids(username, address)
    live = ratelimit.peek(
        (PAIR.scope, pair), (ADDRESS.scope, network), (ACCOUNT.scope, account), (KNOWN, pair)
    )
    known = (KNOWN, pair) in live
    refusal = None
    for scope, limit, identity, applies in (
        ("pair", PAIR, pair, True),
        ("address", ADDRESS, network, not known),
        ("account", ACCOUNT, account, not known),
    ):
        count, expires = live.get((limit.scope, identity), (0, None))
        if applies and count >= limit.limit:
            refusal = Refusal(scope, ratelimit.seconds_until(expires))
            break
    if refusal is not None:
        log.info(
            "login refused, too many failures (%s limit, %d s left): %s",
            refusal.scope,
            refusal.retry_after,
            _describe(username, address, channel),
        )
    return refusal


def record_failure(username: str, address: str | None, channel: str) -> None:
    """Count a failed attempt (wrong password, unknown user, wrong key...)."""
    assert channel in CHANNELS, channel
    account, network, pair = _ids(username, address)
    log.info("login failed: %s", _describe(username, address, channel))
    for scope, limit, identity in (
        ("pair", PAIR, pair),
        ("address", ADDRESS, network),
        ("account", ACCOUNT, account),
    ):
        count, _ = ratelimit.hit(limit.scope, identity, limit.window)
        if count == limit.limit:
            log.warning(
                "login throttled: %d failures in %d s (%s limit): %s",
                count,
                limit.window,
                scope,
                _describe(username, address, channel),
            )


def record_success(username: str, address: str | None, channel: str) -> None:
    """A login succeeded: this address is now one the account used, and its
    failures from here are forgotten."""
    assert channel in CHANNELS, channel
    _, _, pair = _ids(username, address)
    # A read first: a clone is several requests, each a success, and most
    # find nothing to write (no failures, the mark fresh to within a day).
    live = ratelimit.peek((PAIR.scope, pair), (KNOWN, pair))
    if (PAIR.scope, pair) in live:
        ratelimit.forget(PAIR.scope, pair)
    known = live.get((KNOWN, pair))
    if known is None or ratelimit.seconds_until(known[1]) < KNOWN_SECONDS - REMARK_SECONDS:
        ratelimit.remember(KNOWN, pair, KNOWN_SECONDS)
