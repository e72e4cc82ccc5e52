"""Throttling password guessing, for every way of logging in.

Every login path calls this module, whatever checks the secret: the web
login form (``web``), git and hg Basic auth (``git``, ``hg``), SSH
(``ssh``) and the JSON-RPC API (``api``).  The interface::

    attempt = throttle.begin(username, address, channel)
    if attempt.refusal is not None:
        # refuse now, BEFORE hashing anything: refusal.message is the text
        # for the person, refusal.retry_after the seconds to wait (HTTP:
        # 429 with Retry-After).  begin() has logged the refusal.
        ...
    user = <verify the secret>
    if user is None:
        attempt.failed()
    else:
        attempt.succeeded(user.username)
    # nothing could be checked (the directory did not answer): attempt.abandoned()

``username`` is what the client typed (unknown names are counted exactly
like real ones, so throttling never tells whether an account exists);
``address`` is the client's IP address (``request.META["REMOTE_ADDR"]``;
for SSH the first word of ``SSH_CONNECTION``), or None when unknown.
A caller that authenticates without a guessable secret (an SSH key) calls
``check`` only, to honour a throttle already in force.

``begin`` reserves the attempt: it counts it as a failure, atomically
(``ratelimit.hit_many``), before the secret is looked at, and refuses it
(giving the count back) if that count passes a limit.  So attempts
arriving at the same instant each get a distinct count, and at most the
limit's number of guesses are ever checked, however many are in flight.
``succeeded`` and ``abandoned`` give the reservation back; an attempt that
ends otherwise (an error half-way) stays counted as a failure.  Places held
by attempts in flight count: one more arriving just then may be refused
though those turn out right (it may try again as soon as they are done).
A limit already reached refuses with one read and no write.

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
from dataclasses import dataclass, field
from datetime import datetime

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


def _refusal(live, pair, network, account, known) -> Refusal | None:
    """The limit `live` counts ({(scope, identity): (count, window end)})
    have reached, or None."""
    for scope, limit, identity, applies in (
        ("pair", PAIR, pair, True),
        ("address", ADDRESS, network, not known),
        ("account", ACCOUNT, account, not known),
    ):
        count, expires = live.get((limit.scope, identity), (0, None))
        if applies and count >= limit.limit:
            return Refusal(scope, ratelimit.seconds_until(expires))
    return None


def _log_refusal(refusal: Refusal, username, address, channel) -> None:
    log.info(
        "login refused, too many failures (%s limit, %d s left): %s",
        refusal.scope,
        refusal.retry_after,
        _describe(username, address, channel),
    )


def check(username: str, address: str | None, channel: str) -> Refusal | None:
    """None if a limit is not in force for this account and address, else
    the Refusal (logged).  Reserves nothing: for logins with no secret to
    guess (an SSH key); a password or key to check goes through ``begin``."""
    assert channel in CHANNELS, channel
    account, network, pair = _ids(username, address)
    live = ratelimit.peek(
        (PAIR.scope, pair), (ADDRESS.scope, network), (ACCOUNT.scope, account), (KNOWN, pair)
    )
    refusal = _refusal(live, pair, network, account, (KNOWN, pair) in live)
    if refusal is not None:
        _log_refusal(refusal, username, address, channel)
    return refusal


@dataclass
class Attempt:
    """One login attempt: refused (``refusal``), or reserved and waiting
    for its outcome.  Exactly one of ``failed``, ``succeeded`` and
    ``abandoned`` is to be called on a reserved attempt."""

    username: str
    address: str | None
    channel: str
    refusal: Refusal | None = None
    # (scope, identity, count with this attempt, window end) per limit
    reserved: list[tuple[str, str, int, datetime]] = field(default_factory=list)

    def _give_back(self) -> None:
        reserved, self.reserved = self.reserved, []
        if reserved:
            ratelimit.give_back([(scope, identity, expires) for scope, identity, _, expires in reserved])

    def failed(self) -> None:
        """The secret was wrong (or the user unknown, or inactive): the
        reservation stays, a failure."""
        assert self.refusal is None, "a refused attempt checked nothing"
        described = _describe(self.username, self.address, self.channel)
        log.info("login failed: %s", described)
        for scope, limit in (("pair", PAIR), ("address", ADDRESS), ("account", ACCOUNT)):
            for counted_scope, _, count, _ in self.reserved:
                if counted_scope == limit.scope and count == limit.limit:
                    log.warning(
                        "login throttled: %d failures in %d s (%s limit): %s",
                        count,
                        limit.window,
                        scope,
                        described,
                    )
        self.reserved = []

    def succeeded(self, username: str) -> None:
        """The secret proved `username` (as stored: it may differ from what
        was typed): no failure, this address is now one the account used,
        and its failures from here are forgotten."""
        assert self.refusal is None, "a refused attempt checked nothing"
        self._give_back()
        _mark_success(username, self.address)

    def abandoned(self) -> None:
        """Nothing was checked (an LDAP directory did not answer): no failure."""
        self._give_back()


def begin(username: str, address: str | None, channel: str) -> Attempt:
    """Reserve a login attempt before its secret is checked (see the module
    docstring); ``attempt.refusal`` set (and logged) if it may not go ahead."""
    assert channel in CHANNELS, channel
    attempt = Attempt(username, address, channel)
    account, network, pair = _ids(username, address)
    live = ratelimit.peek(
        (PAIR.scope, pair), (ADDRESS.scope, network), (ACCOUNT.scope, account), (KNOWN, pair)
    )
    known = (KNOWN, pair) in live
    # A limit already in force refuses with a read alone: a flood of refused
    # attempts writes nothing.
    attempt.refusal = _refusal(live, pair, network, account, known)
    if attempt.refusal is None:
        identities = ((PAIR, pair), (ADDRESS, network), (ACCOUNT, account))
        counts = ratelimit.hit_many([(limit.scope, identity, limit.window) for limit, identity in identities])
        attempt.reserved = [
            (limit.scope, identity, count, expires)
            for (limit, identity), (count, expires) in zip(identities, counts, strict=True)
        ]
        # Each reservation has its own count: this attempt may go ahead only
        # if its count is within every limit that applies.
        over = {scope: (count - 1, expires) for scope, _, count, expires in attempt.reserved}
        live = {(limit.scope, identity): over[limit.scope] for limit, identity in identities}
        attempt.refusal = _refusal(live, pair, network, account, known)
        if attempt.refusal is not None:
            attempt._give_back()
    if attempt.refusal is not None:
        _log_refusal(attempt.refusal, username, address, channel)
    return attempt


def _mark_success(username: str, address: str | None) -> None:
    _, _, pair = _ids(username, address)
    # A read first: a clone is several requests, each a success, and most
    # find nothing to write (no failures, the mark fresh to within a day).
    # The attempt's own reservation is given back already: a count left
    # means failures to forget (a row at zero is left for the next attempt).
    live = ratelimit.peek((PAIR.scope, pair), (KNOWN, pair))
    if live.get((PAIR.scope, pair), (0, None))[0] > 0:
        ratelimit.forget(PAIR.scope, pair)
    known = live.get((KNOWN, pair))
    if known is None or ratelimit.seconds_until(known[1]) < KNOWN_SECONDS - REMARK_SECONDS:
        ratelimit.remember(KNOWN, pair, KNOWN_SECONDS)
