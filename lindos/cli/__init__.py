"""The ``lindos`` command.  Each sub-command lives in its own module here,
exposing ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args)``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from lindos.config import CONFIG_ENV, DEFAULT_CONFIG_PATH, ConfigError, load_config

COMMAND_MODULES = [
    "config_create",
    "serve",
    "db_upgrade",
    "create_user",
    "send_test_email",
    "worker",
    "check",
    "repo_create",
    "repo_scan",
    "api",
    "ssh_update_authorized_keys",
    "ssh_serve",
    "set_password",
    "import_kallithea",
    "search_reindex",
]


class CommandError(Exception):
    """A failure to report as one line on stderr, with a non-zero exit."""


def version() -> str:
    """The installed distribution's version (pyproject.toml's)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("lindos")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def build_parser(modules: list[str] = COMMAND_MODULES) -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="lindos", description="Lindos: Git and Mercurial hosting and code review."
    )
    parser.add_argument("--version", action="version", version=f"lindos {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = {}
    for name in modules:
        module = importlib.import_module(f"lindos.cli.{name}")
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        if getattr(module, "USES_CONFIG", True):
            p.add_argument(
                "-c",
                "--config",
                default=None,
                metavar="FILE",
                help=f"configuration file (default: ./{DEFAULT_CONFIG_PATH})",
            )
        module.add_arguments(p)
        commands[module.NAME] = module
    return parser, commands


def setup_django(config_path: str | None):
    """Validate the INI file, then start Django on it; returns the Config."""
    path = config_path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH
    config = load_config(path)  # raises ConfigError with the one-line message
    os.environ[CONFIG_ENV] = os.path.abspath(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindos.settings")
    import django

    django.setup()
    return config


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # sshd runs ssh-serve for every connection: load no other command for it.
    parser, commands = build_parser(["ssh_serve"] if argv[:1] == ["ssh-serve"] else COMMAND_MODULES)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module = commands[args.command]
    try:
        if getattr(module, "USES_CONFIG", True) and getattr(module, "SETS_UP_DJANGO", True):
            args.lindos_config = setup_django(args.config)
        return module.run(args) or 0
    except (ConfigError, CommandError) as exc:
        print(f"lindos: error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError) else 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
