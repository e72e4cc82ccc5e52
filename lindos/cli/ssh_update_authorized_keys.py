"""``lindos ssh-update-authorized-keys``: rewrite the authorized_keys file.

Lindos rewrites it whenever a key is added or deleted or a user is
(de)activated; this does the same by hand, e.g. after changing
``kallithea_cli_path``, moving the INI file or restoring a backup.
"""

NAME = "ssh-update-authorized-keys"
HELP = "rewrite the SSH authorized_keys file from the keys in the database"


def add_arguments(parser):
    pass


def run(args):
    from lindos.cli import CommandError
    from lindos.ssh.authorized_keys import AuthorizedKeysError, write_authorized_keys

    config = args.lindos_config
    try:
        path = write_authorized_keys(config)
    except AuthorizedKeysError as exc:
        raise CommandError(str(exc))
    if path is None:
        raise CommandError(f"SSH is disabled (ssh_enabled = false in {config.path}): nothing written")
    print(f"Wrote {path}")
    return 0
