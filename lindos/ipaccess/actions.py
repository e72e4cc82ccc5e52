"""Adding and removing allowed networks (``do_*`` change state)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lindos.ipaccess.models import AllowedNetwork
from lindos.ipaccess.networks import BadNetwork, parse_network

log = logging.getLogger(__name__)

#: Entries one list may hold; a list is read on every request of its
#: accounts, so it is bounded (a whole organisation fits in a few dozen).
MAX_ENTRIES = 500


def do_add_network(user, text) -> AllowedNetwork:
    """Add ``text`` to ``user``'s list (None: the default list, for
    everyone). ValidationError with a one-line reason when it is not a
    network, is already there, or the list is full."""
    try:
        network = parse_network(text)
    except BadNetwork as exc:
        raise ValidationError(str(exc)) from None
    entries = AllowedNetwork.objects.filter(user=user)
    if entries.filter(network=network).exists():
        raise ValidationError(f"{network} is already allowed.")
    if entries.count() >= MAX_ENTRIES:
        raise ValidationError(f"A list holds at most {MAX_ENTRIES} entries: use a wider network.")
    try:
        with transaction.atomic():
            entry = AllowedNetwork.objects.create(user=user, network=network)
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError(f"{network} is already allowed.") from None
    log.info("allowed network %s added for %s", network, user.username if user else "everyone")
    return entry


def do_delete_network(user, entry_id) -> AllowedNetwork | None:
    """Remove entry ``entry_id`` if it is on ``user``'s list (None: the
    default list); None (nothing done) for any other id, so a forged id
    cannot touch another list."""
    if not isinstance(entry_id, int | str) or not str(entry_id).isascii() or not str(entry_id).isdigit():
        return None
    if len(str(entry_id)) > 18:
        return None
    entry = AllowedNetwork.objects.filter(user=user, pk=int(entry_id)).first()
    if entry is None:
        return None
    entry.delete()
    log.info("allowed network %s removed for %s", entry.network, user.username if user else "everyone")
    return entry
