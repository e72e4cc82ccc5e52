"""Methods whose feature Lindos does not have yet: gists.

Each keeps Kallithea's name, arguments, defaults and admin rule, so a call
is checked exactly as it would be (missing or unknown arguments, wrong
types, admin rights) and then answered with
``method `NAME` is not available: Lindos has no FEATURE yet``.
A method gains its body here when its feature lands.
"""

from __future__ import annotations

from lindos.api.errors import NOT_AVAILABLE, JSONRPCError
from lindos.api.jsonrpc import Dict, Id, Int, Str, api_method

GISTS = "gists"


def _unavailable(name: str, feature: str):
    raise JSONRPCError(NOT_AVAILABLE % (name, feature))


# -- gists -----------------------------------------------------------------------


@api_method()
def get_gist(call, gistid: Id):
    _unavailable("get_gist", GISTS)


@api_method()
def get_gists(call, userid: Id = None):
    _unavailable("get_gists", GISTS)


@api_method()
def create_gist(
    call, files: Dict, owner: Id = None, gist_type: Str = "public", lifetime: Int = -1, description: Str = ""
):
    _unavailable("create_gist", GISTS)


@api_method()
def delete_gist(call, gistid: Id):
    _unavailable("delete_gist", GISTS)


UNAVAILABLE_METHODS = "get_gist get_gists create_gist delete_gist".split()
