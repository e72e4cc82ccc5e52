"""Logging: the INI file's own [loggers]/[handlers]/[formatters] if it has them
(as Kallithea's files do), otherwise a plain console log at INFO.

A Kallithea file names Kallithea's loggers; its intent carries over to the
loggers that do the same job here: the level given to ``kallithea`` applies
to ``lindos``, the one given to ``sqlalchemy.engine`` (SQL statements) to
``django.db.backends``.  Django's own DEBUG chatter (schema statements,
template variable look-ups) is held at INFO unless the file sets a ``django``
logger, so Kallithea's ``root = NOTSET`` does not flood the console.
"""

from __future__ import annotations

import configparser
import importlib
import logging
import logging.config

from lindos.config import ConfigError

# Kallithea's logger -> the Lindos logger doing the same job.
LOGGER_EQUIVALENTS = {"kallithea": "lindos", "sqlalchemy.engine": "django.db.backends"}


def importable(dotted: str) -> bool:
    module, _, name = dotted.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), name) if module else False
    except ImportError:
        return False


def logging_parser(config) -> configparser.ConfigParser:
    """The file's logging sections, with classes that only existed in
    Kallithea (its coloured formatters) replaced by logging's own."""
    parser = configparser.ConfigParser(defaults={"here": config.here}, strict=False)
    parser.optionxform = str
    parser.read(config.path, encoding="utf-8")
    for section in parser.sections():
        if section.startswith("formatter_") and parser.has_option(section, "class"):
            if not importable(parser.get(section, "class", raw=True)):
                parser.set(section, "class", "logging.Formatter")
    return parser


def configured_loggers(parser: configparser.ConfigParser) -> set[str]:
    """Logger names (qualnames) the file configures."""
    names = set()
    keys = parser.get("loggers", "keys", raw=True, fallback="")
    for key in (k.strip() for k in keys.split(",") if k.strip()):
        names.add(parser.get(f"logger_{key}", "qualname", raw=True, fallback=key).strip())
    return names


def apply_equivalents(configured: set[str]) -> None:
    for kallithea_name, lindos_name in LOGGER_EQUIVALENTS.items():
        if kallithea_name in configured and lindos_name not in configured:
            logging.getLogger(lindos_name).setLevel(logging.getLogger(kallithea_name).level)
    if not any(name == "django" or name.startswith("django.") for name in configured):
        django_logger = logging.getLogger("django")
        if django_logger.getEffectiveLevel() < logging.INFO:
            django_logger.setLevel(logging.INFO)


class NotFoundIsDebug(logging.Filter):
    """Django logs every 404 as a WARNING ("Not Found: /x"): on a public
    server that is scanners and stale links, not something to act on, so
    404s go out at DEBUG (if that level is on) and never as warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 404:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_not_found() -> None:
    request_logger = logging.getLogger("django.request")
    if not any(isinstance(f, NotFoundIsDebug) for f in request_logger.filters):
        request_logger.addFilter(NotFoundIsDebug())


def build_logging(config) -> None:
    """Configure logging from `config`'s file; a broken logging section stops
    start-up with one line, like any other wrong value."""
    if config.has_logging_sections:
        parser = logging_parser(config)
        try:
            logging.config.fileConfig(parser, disable_existing_loggers=False)
        except Exception as exc:  # fileConfig raises KeyError, ValueError, ImportError...
            raise ConfigError(
                f"{config.path}: [loggers]: logging configuration is wrong: "
                f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            )
        apply_equivalents(configured_loggers(parser))
        quiet_not_found()
        return
    logging.basicConfig(
        level=logging.DEBUG if config.debug else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    quiet_not_found()
