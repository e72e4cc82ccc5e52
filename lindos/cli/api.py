"""``lindos api``: call the JSON-RPC API of a Lindos (or Kallithea) server,
like ``kallithea-api``.

    lindos api --apihost https://code.example.com --apikey KEY get_repo repoid:myrepo

Arguments are ``name:value``; a value that reads as JSON (``true``, ``12``,
``["a","b"]``, ``{"x":1}``) is sent as that JSON value, anything else as
text.  The result is printed as JSON; an error is printed after
``ERROR:`` on stderr with exit status 1.  ``--save-config`` stores the
host and key in ``~/.config/kallithea`` (Kallithea's file, so one file
serves both tools); later calls read them from there.
"""

from __future__ import annotations

import json
import os
import random
import sys
import urllib.error
import urllib.request

NAME = "api"
HELP = "call the JSON-RPC API of a server (like kallithea-api)"
USES_CONFIG = False
CONFIG_NAME = os.path.join(".config", "kallithea")
TIMEOUT = 300


def add_arguments(parser):
    parser.add_argument("--apihost", help="the server's URL, e.g. https://code.example.com")
    parser.add_argument("--apikey", help="your API key")
    parser.add_argument(
        "--config",
        dest="api_config",
        metavar="FILE",
        help=f"file with apihost and apikey (default: ~/{CONFIG_NAME})",
    )
    parser.add_argument(
        "--save-config", action="store_true", help="store --apihost and --apikey in the file and stop"
    )
    parser.add_argument(
        "--format",
        choices=["pretty", "json"],
        default="pretty",
        help="pretty (indented, the default) or json (one line)",
    )
    parser.add_argument("method", metavar="METHOD", nargs="?", help="the API method to call")
    parser.add_argument("args", metavar="NAME:VALUE", nargs="*", help="the method's arguments")


def config_path(given: str | None) -> str:
    return given or os.path.join(os.path.expanduser("~"), CONFIG_NAME)


def parse_args(pairs: list[str]) -> dict:
    """``name:value`` pairs -> the ``args`` object (see module doc)."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition(":")
        if not sep or not name:
            raise ValueError(f"expected NAME:VALUE, got {pair!r}")
        try:
            out[name] = json.loads(value)
        except ValueError:
            out[name] = value
    return out


def call(apihost: str, apikey: str, method: str, args: dict, timeout: float = TIMEOUT) -> dict:
    """POST one call; the server's answer (``id``, ``result``, ``error``)."""
    req_id = random.randrange(1, 1 << 30)
    body = json.dumps({"id": req_id, "api_key": apikey, "method": method, "args": args}).encode()
    request = urllib.request.Request(
        apihost.rstrip("/") + "/_admin/api", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    if not isinstance(answer, dict) or answer.get("id") != req_id:
        raise ValueError(f"the server answered another id: {answer!r}"[:500])
    return answer


def run(args):
    from lindos.cli import CommandError

    path = config_path(args.api_config)
    if args.save_config:
        if not (args.apihost and args.apikey):
            raise CommandError("--save-config needs --apihost and --apikey")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds a key
        with os.fdopen(fd, "w") as fh:
            json.dump({"apikey": args.apikey, "apihost": args.apihost}, fh, indent=4)
            fh.write("\n")
        print(f"Saved the API host and key in {path}")
        return 0
    saved = {}
    if not (args.apihost and args.apikey) and os.path.exists(path):
        try:
            with open(path) as fh:
                saved = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}")
    apihost, apikey = args.apihost or saved.get("apihost"), args.apikey or saved.get("apikey")
    if not (apihost and apikey):
        raise CommandError("give --apihost and --apikey (or save them with --save-config)")
    if not args.method:
        raise CommandError("name the METHOD to call")
    try:
        method_args = parse_args(args.args)
        answer = call(apihost, apikey, args.method, method_args)
    except ValueError as exc:
        raise CommandError(str(exc))
    except (urllib.error.URLError, OSError) as exc:
        raise CommandError(f"cannot reach {apihost}: {getattr(exc, 'reason', exc)}")
    indent = 4 if args.format == "pretty" else None
    if answer.get("error") is not None:
        print("ERROR:" + json.dumps(answer["error"]), file=sys.stderr)
        return 1
    print(json.dumps(answer.get("result"), indent=indent, sort_keys=True, ensure_ascii=False))
    return 0
