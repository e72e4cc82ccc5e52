"""Logging: the INI file's own [loggers]/[handlers]/[formatters] if it has them
(as Kallithea's files do), otherwise a plain console log at INFO."""

from __future__ import annotations

import configparser
import importlib
import logging
import logging.config


def importable(dotted: str) -> bool:
    module, _, name = dotted.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), name) if module else False
    except ImportError:
        return False


def logging_parser(config) -> configparser.RawConfigParser:
    """The file's logging sections, with classes that only existed in
    Kallithea (its coloured formatters) replaced by logging's own."""
    parser = configparser.ConfigParser(defaults={"here": config.here})
    parser.optionxform = str
    parser.read(config.path, encoding="utf-8")
    for section in parser.sections():
        if section.startswith("formatter_") and parser.has_option(section, "class"):
            if not importable(parser.get(section, "class")):
                parser.set(section, "class", "logging.Formatter")
    return parser


def build_logging(config) -> None:
    if config.has_logging_sections:
        logging.config.fileConfig(logging_parser(config), disable_existing_loggers=False)
        return
    logging.basicConfig(
        level=logging.DEBUG if config.debug else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
