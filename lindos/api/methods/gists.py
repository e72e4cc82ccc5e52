"""Gists: get_gist, get_gists, create_gist, delete_gist.

Kallithea's arguments, answers and rules: a gist is named by its row id
(a number, or digits) or its access id; it is found for its owner and the
admins only, and for anyone else it "does not exist" (a private gist's
existence never leaks). ``get_gists`` lists one user's gists that have
not expired (a regular user: their own only); ``get_gist`` and
``delete_gist`` also reach expired ones, so an owner can still clean up.
``create_gist`` takes ``files`` as ``{name: {"content": text}}``,
``gist_type`` ``public`` or ``private``, ``lifetime`` in minutes (-1:
forever); only an admin may name another ``owner`` (Kallithea let anyone).
A refused gist says ``failed to create gist: REASON``.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from lindos.api.errors import JSONRPCError
from lindos.api.jsonrpc import Dict, Id, Int, Str, api_method
from lindos.api.methods.common import _as_pk, get_user_or_error
from lindos.gists.actions import do_create_gist, do_delete_gist
from lindos.gists.files import GistRefused, build_description, build_expiry, build_files
from lindos.gists.models import KINDS, PUBLIC, Gist
from lindos.notifications.links import request_base_url

log = logging.getLogger("lindos.api")


def gist_data(gist: Gist, base: str) -> dict:
    """Kallithea's ``Gist.get_api_data``."""
    return {
        "gist_id": gist.pk,
        "type": gist.gist_type,
        "access_id": gist.access_id,
        "description": gist.description,
        "url": gist.url(base),
        "expires": gist.expires_timestamp,
        "created_on": gist.created_at,
    }


def _base(call) -> str:
    return request_base_url(call.request) if call.request is not None else ""


def get_gist_or_error(call, gistid) -> Gist:
    """The gist, if the caller owns it or is an admin."""
    pk = _as_pk(gistid)
    gist = None
    if pk is not None:
        gist = Gist.objects.filter(pk=pk).first()
    elif isinstance(gistid, str) and "\x00" not in gistid:
        gist = Gist.objects.filter(access_id=gistid).first()
        if gist is not None and gist.access_id != gistid:  # MySQL's case-blind comparison
            gist = None
    if gist is None or not (call.user.is_superuser or gist.owner_id == call.user.pk):
        raise JSONRPCError("gist `%s` does not exist" % (gistid,))
    return gist


@api_method()
def get_gist(call, gistid: Id):
    return gist_data(get_gist_or_error(call, gistid), _base(call))


@api_method()
def get_gists(call, userid: Id = None):
    if not call.user.is_superuser:
        # Kallithea compares ids: a regular user may only name themselves.
        if userid is not None and userid != call.user.pk:
            raise JSONRPCError("userid is not the same as your user")
    user = call.user if userid is None else get_user_or_error(userid)
    base = _base(call)
    return [gist_data(g, base) for g in Gist.objects.live().filter(owner=user).order_by("-created_at", "-pk")]


def _files(files: dict) -> dict[str, bytes]:
    entries = []
    for name, spec in files.items():
        if not isinstance(spec, dict) or "content" not in spec:
            raise GistRefused(f"file `{name}` needs a `content`")
        entries.append((name, spec["content"]))
    return build_files(entries)


@api_method()
def create_gist(
    call, files: Dict, owner: Id = None, gist_type: Str = PUBLIC, lifetime: Int = -1, description: Str = ""
):
    if owner is not None and not call.user.is_superuser and owner != call.user.pk:
        if not (isinstance(owner, str) and owner.lower() == call.user.username.lower()):
            raise JSONRPCError("Only Kallithea admin can specify `owner` param")
    user = call.user if owner is None else get_user_or_error(owner)
    try:
        if gist_type not in KINDS:
            raise GistRefused("`gist_type` must be `public` or `private`")
        gist = do_create_gist(
            owner=user,
            actor=call.user,
            files=_files(files),
            description=build_description(description),
            gist_type=gist_type,
            expires_at=build_expiry(lifetime, timezone.now()),
        )
    except GistRefused as exc:
        raise JSONRPCError("failed to create gist: %s" % str(exc).rstrip("."))
    except Exception:
        log.exception("create_gist failed")
        raise JSONRPCError("failed to create gist")
    return {"msg": "created new gist", "gist": gist_data(gist, _base(call))}


@api_method()
def delete_gist(call, gistid: Id):
    gist = get_gist_or_error(call, gistid)
    try:
        do_delete_gist(gist)
    except Exception:
        log.exception("delete_gist failed")
        raise JSONRPCError("failed to delete gist ID:%s" % (gist.access_id,))
    return {"msg": "deleted gist ID:%s" % (gist.access_id,), "gist": None}
