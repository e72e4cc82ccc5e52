"""SSH access for git and hg, with users' keys managed in Lindos.

Kallithea 0.6's design: OpenSSH's ``sshd`` runs as it is, and Lindos writes
the ``authorized_keys`` file of the account sshd serves, one line per key,
each forcing ``lindos ssh-serve -c INI USER_ID KEY_ID``
(``authorized_keys.py``). That command (``lindos/cli/ssh_serve.py``) reads
``SSH_ORIGINAL_COMMAND`` (``commands.py``), decides with the same permission
check as HTTP (``access.py``) and serves git (``serve_git.py``) or hg
(``serve_hg.py``). Keys are parsed and checked in ``keys.py`` and changed
only through ``actions.py``.
"""
