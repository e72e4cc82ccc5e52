"""The file ``lindos config-create`` writes, built from `lindos.config_keys`.

Every key of the table is written (live or commented out, with its default
or an example value, under its comment) unless the table says it is left
out; the header and the logging sections are fixed text.
"""

from __future__ import annotations

from lindos.config_keys import APP, COMMENTED, DEFAULT, KEYS, LIVE, SERVER

HEADER = """\
##############################################################################
## Lindos configuration file                                                ##
##                                                                          ##
## Compatible with Kallithea's: a Kallithea .ini file works as it is.       ##
## Keys may stand in [DEFAULT] or [app:main]; [app:main] wins, and          ##
## "set KEY = VALUE" in [app:main] overrides [DEFAULT].  %(here)s is the     ##
## folder holding this file.  Every key Lindos reads is listed here with    ##
## its default; a commented key shows the default it takes.                 ##
##############################################################################
"""

# Lines a section starts with before its keys (PasteDeploy's entry point).
SECTION_START = {DEFAULT: [""], SERVER: [], APP: ["use = egg:lindos", ""]}

LOGGING = """
##########################
## Logging configuration ##
##########################

[loggers]
keys = root, lindos

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[logger_lindos]
level = INFO
handlers =
qualname = lindos

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-7s %(name)s: %(message)s
datefmt = %Y-%m-%d %H:%M:%S
"""


def build_key_lines(key) -> list[str]:
    """The comment and the line of one key, as config-create writes them."""
    lines = [""] if key.gap else []
    lines += [f"## {line}".rstrip() for line in key.note.splitlines()]
    value = key.default if key.example is None else key.example
    line = f"{key.written_as or key.name} = {value}".rstrip()
    lines.append(line if key.write == LIVE else f"#{line}")
    return lines


def build_template() -> str:
    """The whole file; ``{secret}`` stands where the session secret goes."""
    lines = HEADER.splitlines()
    for section in (DEFAULT, SERVER, APP):
        lines += ["", f"[{section}]", *SECTION_START[section]]
        for key in KEYS:
            if key.section == section and key.write in (LIVE, COMMENTED):
                lines += build_key_lines(key)
    return "\n".join(lines) + "\n" + LOGGING
