"""The SSH clone URL shown on repository pages, from Kallithea's template.

``clone_ssh_tmpl`` (default ``ssh://{system_user}@{hostname}/{repo}``, as
Kallithea's ``DEFAULT_CLONE_SSH``) takes Kallithea's fields: ``{system_user}``
(the account Lindos runs as, i.e. the one whose authorized_keys it writes),
``{hostname}`` (of canonical_url, else of the request), ``{repo}``,
``{repoid}``, ``{scheme}``, ``{netloc}``, ``{prefix}`` and ``{user}``.
Unknown fields stay as written.
"""

from __future__ import annotations

import getpass
import re
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit


@lru_cache(maxsize=1)
def system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "lindos"


def render_clone_url(
    template: str, base_url: str, repo_name: str, repo_id: int, username: str = "", system: str | None = None
) -> str:
    """``template`` with its fields filled in (see module doc)."""
    parts = urlsplit(base_url)
    prefix = unquote(parts.path.rstrip("/"))
    fields = {
        "scheme": parts.scheme,
        "user": quote(username or ""),
        "netloc": parts.netloc + prefix,
        "prefix": prefix,
        "repo": repo_name,
        "repoid": str(repo_id),
        "system_user": system if system is not None else system_user(),
        "hostname": parts.hostname or "",
    }
    url = re.sub(r"{([^{}]+)}", lambda m: fields.get(m.group(1), m.group(0)), template)
    return url.replace("://@", "://")  # an empty {user}
