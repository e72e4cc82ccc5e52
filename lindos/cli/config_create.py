"""``lindos config-create FILE [key=value ...]``: write a commented, working
configuration file documenting every key Lindos reads, with its default."""

from __future__ import annotations

import os
import re
import secrets

NAME = "config-create"
HELP = "write a new configuration file"
USES_CONFIG = False

SERVER_KEYS = {"host", "port"}


def add_arguments(parser):
    parser.add_argument("file", metavar="FILE", help="file to write (must not exist)")
    parser.add_argument(
        "--host",
        help="address lindos serve listens on (default 127.0.0.1; "
        "0.0.0.0: every interface, canonical_url then names this machine)",
    )
    parser.add_argument("--port", type=int, help="port lindos serve listens on (default 5000)")
    parser.add_argument(
        "settings",
        nargs="*",
        metavar="key=value",
        help="settings to put in the file, e.g. smtp_server=mail.example.com",
    )


def default_canonical_url(overrides: dict[str, str]) -> str | None:
    """The address ``serve`` will be reached at with these [server:main]
    host and port (``localhost`` for a loopback address, this machine's
    name for a wildcard one); None when the port is not a fixed one."""
    from lindos.hosts import base_url

    try:
        port = int(overrides.get("port", "5000"))
    except ValueError:
        return None  # load_config reports the bad port
    if not 0 < port < 65536:
        return None
    return base_url(overrides.get("host", "127.0.0.1"), port)


def render_config(overrides: dict[str, str]) -> str:
    """The template with a fresh secret and each override set in place.

    An override replaces the key's line (commented or not) in its section;
    a key the template doesn't list is added to [app:main].  Unless one is
    given, ``canonical_url`` is written for the host and port, so links in
    mail are absolute and never taken from a request's Host header.
    """
    if "canonical_url" not in overrides:
        canonical = default_canonical_url(overrides)
        if canonical:
            overrides = {**overrides, "canonical_url": canonical}
    from lindos.config_template import build_template

    text = build_template()
    text = text.replace("{secret}", secrets.token_urlsafe(32))
    for key, value in overrides.items():
        value = value.replace("%", "%%") if "%(" not in value else value
        pattern = re.compile(rf"^#?{re.escape(key)} =.*$", re.MULTILINE)
        if pattern.search(text):
            line = f"{key} = {value}"
            text = pattern.sub(lambda _match, line=line: line, text, count=1)
        else:
            text = text.replace("[app:main]\n", f"[app:main]\n{key} = {value}\n", 1)
    return text


def parse_overrides(items: list[str]) -> dict[str, str]:
    from lindos.cli import CommandError

    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"expected key=value, got {item!r}")
        if "\n" in value:
            raise CommandError(f"value of {key.strip()} must be on one line")
        out[key.strip()] = value.strip()
    return out


def run(args):
    from lindos.cli import CommandError
    from lindos.config import load_config

    if os.path.exists(args.file):
        raise CommandError(f"{args.file} already exists; not overwriting it")
    overrides = parse_overrides(args.settings)
    if args.host:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = str(args.port)
    text = render_config(overrides)
    folder = os.path.dirname(os.path.abspath(args.file))
    os.makedirs(folder, exist_ok=True)
    with open(args.file, "x", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(args.file, 0o600)  # it holds the session secret (and maybe the SMTP password)
    try:
        load_config(args.file)
    except Exception:
        os.unlink(args.file)
        raise
    print(f"Wrote {args.file}")
    canonical = load_config(args.file).canonical_url
    print(
        f"Links in mail point to {canonical} (canonical_url)"
        if canonical
        else "canonical_url is not set: links in mail use the address each action came in on"
    )
    return 0
