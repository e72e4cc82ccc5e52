"""Kallithea's ``user_ip_map``: the networks each account may be used from.

The default user's rows are the default list (``AllowedNetwork`` with no
user), which applies to every account, as it did in Kallithea. Every row
comes, whatever its ``active`` flag: Kallithea 0.7 enforced inactive rows
too (``AuthUser.get_allowed_ips`` never looked at the flag), and leaving
one out could open an account to addresses it was closed to. Rows with
that flag off are counted apart in the summary, so an admin can review
them.
"""

from __future__ import annotations

from lindos.ipaccess.models import AllowedNetwork
from lindos.ipaccess.networks import BadNetwork, parse_network
from lindos.kallithea_import.context import ImportContext, truthy

KIND = "allowed IP addresses"
INACTIVE = "allowed IP addresses marked inactive in Kallithea (enforced there and here)"


def run(ctx: ImportContext) -> None:
    rows = ctx.db.rows("user_ip_map", "ip_id")
    ctx.progress.start(KIND, len(rows))
    existing = {(u, n): pk for pk, u, n in AllowedNetwork.objects.values_list("pk", "user_id", "network")}
    new: dict[tuple[int | None, str], list[int]] = {}  # (user, network) -> Kallithea ids
    inactive = 0
    for row in rows:
        ctx.progress.advance()
        old_id = row["ip_id"]
        if ctx.ids.has("ip_address", old_id):
            ctx.summary.already[KIND] += 1
            continue
        is_default = row["user_id"] == ctx.default_user_id
        user_id = None if is_default else ctx.ids.get("user", row["user_id"])
        owner = "everyone (default user)" if is_default else f"user #{row['user_id']}"
        label = f"{str(row['ip_addr'])[:80]!r} of {owner}"
        if user_id is None and not is_default:
            ctx.summary.skip(KIND, label, "its user was not imported")
            continue
        try:
            network = parse_network(row["ip_addr"])
        except BadNetwork as exc:
            ctx.summary.skip(KIND, label, str(exc))
            continue
        if not truthy(row.get("active", True)):
            inactive += 1
        key = (user_id, network)
        if key in existing:
            ctx.summary.already[KIND] += 1
            ctx.ids.add("ip_address", old_id, existing[key])
        elif key in new:  # "10.1.2.3/8" beside "10.0.0.0/8": one network
            ctx.summary.already[KIND] += 1
            new[key].append(old_id)
        else:
            new[key] = [old_id]
    AllowedNetwork.objects.bulk_create(
        [AllowedNetwork(user_id=u, network=n) for u, n in new], batch_size=1000
    )
    made = {}
    networks = sorted({n for _, n in new})
    for i in range(0, len(networks), 900):  # SQLite's limit on query parameters
        chunk = AllowedNetwork.objects.filter(network__in=networks[i : i + 900])
        made.update(((u, n), pk) for pk, u, n in chunk.values_list("pk", "user_id", "network"))
    for key, old_ids in new.items():
        for old_id in old_ids:
            ctx.ids.add("ip_address", old_id, made[key])
    ctx.summary.imported[KIND] += len(new)
    if inactive:
        ctx.summary.imported[INACTIVE] += inactive
    ctx.progress.finish()
