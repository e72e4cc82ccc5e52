"""``lindos ssh-serve -c INI USER_ID KEY_ID``: what sshd runs for each key.

Each line Lindos writes in ``authorized_keys`` forces this command, so it
runs once per SSH connection, with the client's request in
``SSH_ORIGINAL_COMMAND``. It refuses anything but git's and hg's own
commands (``lindos.ssh.commands``) before loading Django, checks the key,
the user and the repository permission (``lindos.ssh.access``) and then
serves git (``serve_git``) or hg (``serve_hg``). A refusal is one line on
stderr (``abort: ...``, as Kallithea wrote it) and exit status 1.

Start-up is kept short: ``lindos.cli.main`` loads no other command for it,
and a clone or fetch sets Django up with only the apps its check needs
(``lindos.ssh.lean_settings``). Log output never goes to the client: the
console handlers of the INI's logging set-up are dropped here (stdout is
the protocol channel, stderr the user's terminal); file handlers stay.
"""

from __future__ import annotations

import logging
import os
import sys

NAME = "ssh-serve"
HELP = "serve git or hg to an SSH client (sshd runs it from authorized_keys)"
USES_CONFIG = True
SETS_UP_DJANGO = False  # run() does it, with lean settings when it can


def add_arguments(parser):
    parser.add_argument("user_id", type=int, metavar="USER_ID")
    parser.add_argument("key_id", type=int, metavar="KEY_ID")


def _refuse(message: str) -> int:
    sys.stderr.write(f"abort: {message}\n")
    sys.stderr.flush()
    return 1


def _drop_console_logging() -> None:
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    for logger in loggers:
        for handler in list(getattr(logger, "handlers", [])):
            if (
                isinstance(handler, logging.StreamHandler)
                and not isinstance(handler, logging.FileHandler)
                and getattr(handler, "stream", None)
                in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)
            ):
                logger.removeHandler(handler)
    # Without any handler left, logging's "last resort" would print to stderr.
    logging.getLogger().addHandler(logging.NullHandler())


def setup_django(config_path: str, *, lean: bool) -> None:
    from lindos.config import CONFIG_ENV

    os.environ[CONFIG_ENV] = os.path.abspath(config_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lindos.ssh.lean_settings" if lean else "lindos.settings"
    logging.disable(logging.CRITICAL)  # nothing reaches the client while logging is set up
    import django

    django.setup()
    _drop_console_logging()
    logging.disable(logging.NOTSET)


def run(args) -> int:
    from lindos.config import CONFIG_ENV, DEFAULT_CONFIG_PATH, load_config
    from lindos.ssh.commands import Refused, parse_ssh_command

    config_path = args.config or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH
    config = load_config(config_path)
    if not config.ssh_enabled:
        return _refuse("SSH access is disabled on this server.")
    if config.ssh_locale:
        os.environ["LC_ALL"] = config.ssh_locale  # the client's locale may not exist here
        os.environ["LANGUAGE"] = config.ssh_locale
    command = os.environ.get("SSH_ORIGINAL_COMMAND")
    if command is None and not os.environ.get("SSH_CONNECTION"):
        return _refuse("'lindos ssh-serve' is run by sshd from an authorized_keys line, not by hand.")
    try:
        request = parse_ssh_command(command)
    except Refused as exc:
        return _refuse(str(exc))
    setup_django(config_path, lean=request.read_only)
    return _serve(args, request)


def _serve(args, request) -> int:
    from django.db import DatabaseError

    from lindos.ssh.access import authenticate_key, authorize
    from lindos.ssh.commands import Refused

    log = logging.getLogger("lindos.ssh")
    try:
        # SSH_CONNECTION is "CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT" (sshd sets it).
        address = (os.environ.get("SSH_CONNECTION") or "").split(" ")[0] or None
        user = authenticate_key(args.user_id, args.key_id, address)
        grant = authorize(user, request)
    except Refused as exc:
        log.info("ssh-serve refused user %s key %s: %s", args.user_id, args.key_id, exc)
        return _refuse(str(exc))
    except DatabaseError as exc:
        log.error("ssh-serve: database error: %s", exc)
        return _refuse("Lindos cannot reach its database; try again later.")
    log.info("ssh-serve: %s %s %s (key %s)", user.username, request.service, grant.repo.name, args.key_id)
    if request.service == "git-upload-pack":
        from lindos.ssh.serve_git import exec_upload_pack

        exec_upload_pack(grant)  # does not return
    if request.service == "git-receive-pack":
        from lindos.ssh.serve_git import serve_receive_pack

        return serve_receive_pack(grant)
    from lindos.ssh.serve_hg import serve_hg

    return serve_hg(grant)
