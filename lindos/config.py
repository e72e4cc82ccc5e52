"""Load a Kallithea-compatible INI file into one validated, immutable `Config`.

The file follows PasteDeploy's conventions, because that is what Kallithea
wrote and what its users keep: keys may stand in ``[DEFAULT]`` or
``[app:main]`` (the latter wins), ``set KEY = VALUE`` in ``[app:main]``
overrides a DEFAULT value (that is how ``set debug = true`` is spelt), and
``%(here)s`` expands to the folder holding the file.

Every value is checked here, once, at start-up: a wrong value stops the
process with a single line naming the file, section, key and value, so an
operator never meets a half-started server.

The keys and their defaults come from `lindos.config_keys`; reading a key
that table lacks is a KeyError, so every key read here is documented.
"""

from __future__ import annotations

import configparser
import difflib
import logging
import os
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses, parseaddr

from lindos.config_keys import KNOWN_KEYS, KNOWN_PREFIXES, SERVER_KEYS, SERVER_PROXY_KEYS
from lindos.dburl import DatabaseURLError, database_from_url

log = logging.getLogger(__name__)

APP_SECTION = "app:main"
SERVER_SECTION = "server:main"
DEFAULT_CONFIG_PATH = "lindos.ini"
CONFIG_ENV = "LINDOS_CONFIG"


class ConfigError(Exception):
    """A configuration problem, worded as the one line an operator sees."""


#: Words Mercurial's ``experimental.evolution`` takes (``hg.evolution``).
HG_EVOLUTION_WORDS = {"all", "createmarkers", "allowunstable", "allowdivergence", "exchange"}

# Not settings: PasteDeploy's own entries and the defaults every section gets.
STRUCTURAL_KEYS = {"use", "here", "__file__", "__name__"}

TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0", ""}


@dataclass(frozen=True)
class Config:
    """Everything Lindos takes from its INI file, already validated."""

    path: str
    here: str
    debug: bool
    database: dict
    database_url: str
    base_path: str
    cache_dir: str
    canonical_url: str
    allowed_hosts: tuple  # Django's ALLOWED_HOSTS (see lindos.hosts)
    secret_key: str
    lang: str
    use_celery: bool
    celery: dict
    smtp_server: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_use_ssl: bool
    smtp_use_tls: bool
    smtp_auth: tuple
    smtp_timeout: float
    email_to: tuple
    app_email_from: str
    error_email_from: str
    email_prefix: str
    email_retry_seconds: int
    error_email_interval_seconds: int
    max_body_size: int
    max_form_body_size: int
    server_host: str
    server_port: int
    server_workers: int
    cache_url: str
    archive_cache_size: int
    has_logging_sections: bool
    ssh_enabled: bool = False
    ssh_authorized_keys: str = ""
    kallithea_cli_path: str = ""
    ssh_locale: str = ""
    clone_ssh_tmpl: str = ""
    # waitress's reverse-proxy options from [server:main], as written
    server_proxy: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False)
    webhook_timeout: float = 10.0
    webhook_allow_private_addresses: bool = False
    hg_extensions: tuple = ("largefiles",)
    hg_evolution: str = ""
    rss_items_per_page: int = 10
    rss_cut_off_limit: int = 256000
    rss_include_diff: bool = False
    gist_alias_url: str = ""

    @property
    def data_dir(self) -> str:
        return self.cache_dir

    @property
    def app_email_address(self) -> str:
        """The bare address of ``app_email_from``, used as envelope sender."""
        return parseaddr(self.app_email_from)[1]

    @property
    def error_email_address(self) -> str:
        return parseaddr(self.error_email_from)[1]


class _Reader:
    """Reads one file's sections with PasteDeploy's override rules."""

    def __init__(self, path: str):
        self.path = path
        self.here = os.path.dirname(os.path.abspath(path))
        self.parser = configparser.ConfigParser(
            defaults={"here": self.here, "__file__": os.path.abspath(path)},
            interpolation=configparser.BasicInterpolation(),
            strict=False,
        )
        # INI keys are case sensitive in PasteDeploy files.
        self.parser.optionxform = str
        try:
            with open(path, encoding="utf-8") as fh:
                self.parser.read_file(fh)
        except FileNotFoundError:
            raise ConfigError(
                f"{path}: configuration file not found (create one with: lindos config-create {path})"
            )
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot parse: {_one_line(exc)}")
        self._refuse_misspelled_sections()
        self.values, self.sections = self._merge()

    def _refuse_misspelled_sections(self) -> None:
        """``[app:mian]`` would silently drop every key in it (and then fail
        on a missing secret, or run on defaults): name the section instead."""
        for wanted in (APP_SECTION, SERVER_SECTION):
            if self.parser.has_section(wanted):
                continue
            close = difflib.get_close_matches(wanted, self.parser.sections(), n=1, cutoff=0.7)
            if close:
                raise ConfigError(f"{self.path}: [{close[0]}]: unknown section; did you mean [{wanted}]?")

    def _merge(self) -> tuple[dict, dict]:
        """Return key -> value, and key -> section it came from.

        PasteDeploy's rules: ``set NAME = V`` in [app:main] replaces a DEFAULT
        value; ``get NAME = OTHER`` copies the DEFAULT (or ``set``) value of
        OTHER.  Beyond PasteDeploy, a plain key in [app:main] also wins over
        the same key in [DEFAULT], which is what operators expect.
        """
        values, sections = {}, {}
        for key in self.parser.defaults():
            values[key] = self._get("DEFAULT", key)
            sections[key] = "DEFAULT"
        if not self.parser.has_section(APP_SECTION):
            return values, sections
        own = self.parser._sections[APP_SECTION]  # keys literally in [app:main]
        global_conf = dict(values)
        gets = []
        for key in own:
            value = self._get(APP_SECTION, key)
            if key.startswith("set "):
                name = key[4:].strip()
                values[name] = global_conf[name] = value
                sections[name] = APP_SECTION
            elif key.startswith("get "):
                gets.append((key, key[4:].strip(), value.strip()))
            else:
                values[key] = value
                sections[key] = APP_SECTION
        for key, name, source in gets:
            if source not in global_conf:
                raise ConfigError(
                    f"{self.path}: [{APP_SECTION}] {key} = {source!r}: "
                    "no such key in [DEFAULT] (or set in [app:main])"
                )
            values[name] = global_conf[source]
            sections[name] = APP_SECTION
        return values, sections

    def _get(self, section: str, key: str) -> str:
        try:
            return self.parser.get(section, key)
        except configparser.Error as exc:
            raw = self.parser.get(section, key, raw=True)
            raise ConfigError(f"{self.path}: [{section}] {key} = {raw!r}: {_one_line(exc)}")

    def raw(self, key: str) -> str:
        """The value of a [DEFAULT]/[app:main] key, or its default.

        Only keys of `lindos.config_keys` may be read (a KeyError otherwise),
        so the README and config-create document every key Lindos takes."""
        default = KNOWN_KEYS[key]
        if key in self.values:
            return self.values[key]
        return default.replace("%(here)s", self.here)

    def error(self, key: str, value: str, why: str) -> ConfigError:
        section = self.sections.get(key, APP_SECTION)
        return ConfigError(f"{self.path}: [{section}] {key} = {value!r}: {why}")

    def server(self, key: str) -> str:
        """The value of a [server:main] key of `lindos.config_keys`, or its default."""
        default = SERVER_KEYS[key]
        if self.parser.has_section(SERVER_SECTION) and self.parser.has_option(SERVER_SECTION, key):
            return self._get(SERVER_SECTION, key)
        return default


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def parse_bool(reader: _Reader, key: str) -> bool:
    value = reader.raw(key)
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise reader.error(key, value, "expected true or false")


def parse_int(
    reader: _Reader, key: str, low: int, high: int | None = None, what: str = "a whole number"
) -> int:
    value = reader.raw(key)
    try:
        number = int(value.strip())
    except ValueError:
        raise reader.error(key, value, f"expected {what}")
    if number < low or (high is not None and number > high):
        raise reader.error(key, value, f"expected {what}")
    return number


def parse_server_int(reader: _Reader, key: str, low: int, high: int | None, what: str) -> int:
    """A whole number from [server:main], checked like the app's own keys."""
    value = reader.server(key)
    try:
        number = int(value.strip())
    except ValueError:
        number = None
    if number is None or number < low or (high is not None and number > high):
        raise ConfigError(f"{reader.path}: [{SERVER_SECTION}] {key} = {value!r}: expected {what}")
    return number


def parse_address(reader: _Reader, key: str, allow_name: bool = True) -> str:
    """Check an ``address`` or ``Name <address>`` value; return it stripped."""
    value = reader.raw(key).strip() or KNOWN_KEYS[key]
    if "\n" in value or "\r" in value:
        raise reader.error(key, value, "must be on one line")
    name, address = parseaddr(value)
    if not is_valid_address(address) or (name and not allow_name):
        raise reader.error(key, value, "not a valid email address")
    return value


def is_valid_address(address: str) -> bool:
    """True for a plain ``local@domain`` address the email package accepts."""
    if not address or address.count("@") != 1 or any(c.isspace() for c in address):
        return False
    local, domain = address.split("@")
    if not local or not domain or "<" in address or ">" in address:
        return False
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        return False
    return True


def parse_address_list(reader: _Reader, key: str) -> tuple:
    value = reader.raw(key).strip()
    if not value:
        return ()
    addresses = []
    for name, address in getaddresses([value]):
        if not is_valid_address(address):
            raise reader.error(key, value, f"not a valid email address: {address or name!r}")
        addresses.append(address)
    return tuple(addresses)


def parse_smtp_auth(reader: _Reader) -> tuple:
    value = reader.raw("smtp_auth")
    mechanisms = tuple(m.upper() for m in value.replace(",", " ").split())
    allowed = {"PLAIN", "LOGIN", "CRAM-MD5"}
    for mech in mechanisms:
        if mech not in allowed:
            raise reader.error("smtp_auth", value, "expected one or more of PLAIN, LOGIN, CRAM-MD5")
    return mechanisms


def parse_gist_alias_url(reader: _Reader) -> str:
    """Kallithea's ``gist_alias_url``: an http(s) URL in which ``{gistid}``
    is replaced by each gist's ID; empty for Lindos's own URL."""
    value = reader.raw("gist_alias_url").strip()
    if value and (not value.startswith(("http://", "https://")) or any(c.isspace() for c in value)):
        raise reader.error(
            "gist_alias_url",
            value,
            "expected an http:// or https:// URL, e.g. https://gist.example.com/{gistid}",
        )
    return value


def parse_url(reader: _Reader, key: str) -> str:
    from urllib.parse import urlsplit

    from lindos.hosts import check_allowed_host

    value = reader.raw(key).strip()
    if not value:
        return ""
    why = "expected an http:// or https:// URL"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        raise reader.error(key, value, why)
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or not host
        or parts.query
        or parts.fragment
        or parts.username
        or check_allowed_host(f"[{host}]" if ":" in host else host)
    ):
        raise reader.error(key, value, why + " (scheme, host, optional port and path)")
    return value.rstrip("/")


def parse_cache_url(reader: _Reader) -> str:
    """``cache.url``: empty for the file cache in ``cache_dir``, else a
    Redis URL shared by every machine serving Lindos."""
    value = reader.raw("cache.url").strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise reader.error("cache.url", value, "expected a redis://, rediss:// or unix:// URL, or nothing")
    return value


def parse_allowed_hosts(reader: _Reader, canonical_url: str, server_host: str) -> tuple:
    """``allowed_hosts``: comma-separated host names (``.example.com`` for
    a domain and its subdomains, ``*`` for any).  Unset: the host of
    ``canonical_url`` and the names of the address ``serve`` binds."""
    from lindos import hosts

    value = reader.raw("allowed_hosts")
    entries = [e.strip().lower() for e in value.replace(" ", ",").split(",") if e.strip()]
    if not entries:
        return hosts.default_allowed_hosts(canonical_url, server_host)
    for entry in entries:
        why = hosts.check_allowed_host(entry)
        if why:
            raise reader.error("allowed_hosts", value, f"expected comma-separated host names; {why}")
    if "*" in entries and not canonical_url:
        # Links in mail would then come from whatever Host a request names.
        raise reader.error(
            "allowed_hosts",
            value,
            "'*' needs canonical_url to be set (mail links must not come from an untrusted Host header)",
        )
    return tuple(dict.fromkeys(entries))


def check_server_host(reader: _Reader, host: str) -> None:
    from lindos.hosts import WILDCARD_ADDRESSES, check_allowed_host, url_host

    if host in WILDCARD_ADDRESSES:
        return
    if host.startswith(".") or host == "*" or check_allowed_host(url_host(host)):
        raise ConfigError(
            f"{reader.path}: [{SERVER_SECTION}] host = {host!r}: "
            "expected an address or host name to listen on"
        )


def parse_one_line(reader: _Reader, key: str) -> str:
    value = reader.raw(key).strip()
    if "\n" in value or "\r" in value or "\0" in value:
        raise reader.error(key, value, "must be on one line")
    return value


def parse_path(reader: _Reader, key: str) -> str:
    """An absolute path (``~`` is the home folder of the user running Lindos)."""
    value = parse_one_line(reader, key)
    return os.path.abspath(os.path.expanduser(value)) if value else ""


def parse_cli_path(reader: _Reader) -> str:
    """``kallithea_cli_path``: the ``lindos`` program that sshd runs for each
    key (Kallithea's name, kept so its files keep working). Default: the
    ``lindos`` beside the running Python, i.e. the one of this install."""
    value = parse_one_line(reader, "kallithea_cli_path")
    if value:
        return os.path.expanduser(value)
    import sys

    beside = os.path.join(os.path.dirname(sys.executable), "lindos")
    return beside if os.path.exists(beside) else "lindos"


def celery_settings(reader: _Reader) -> dict:
    """``celery.*`` keys, without the prefix, as Celery setting names.

    Kallithea 0.7 writes ``celery.broker_url``; older files wrote
    ``broker.url`` and ``celery.result.backend``, which are mapped too.
    """
    out = {}
    for key, value in reader.values.items():
        if key.startswith("celery."):
            out[key[len("celery.") :].replace(".", "_").lower()] = value
    if "broker.url" in reader.values and "broker_url" not in out:
        out["broker_url"] = reader.values["broker.url"]
    return out


def log_unknown_keys(reader: _Reader) -> None:
    """Kallithea's files carry many keys Lindos has no use for (beaker.*,
    whoosh, ...); each is ignored with a debug line, so an operator
    can see what was not taken into account."""
    for key in reader.values:
        if key in KNOWN_KEYS or key in STRUCTURAL_KEYS or key.startswith(KNOWN_PREFIXES):
            continue
        log.debug("%s: ignoring unknown key %r", reader.path, key)


def parse_hg_settings(reader: _Reader) -> dict:
    """``hg.extensions``, ``hg.evolution`` and Kallithea's ``hgencoding``.

    An extension that is not installed is not an error (the package may come
    later): it is left out with a warning naming the package. Mercurial
    metadata is always UTF-8 to Lindos, so another ``hgencoding`` is
    ignored with a warning.
    """
    raw_ext = reader.raw("hg.extensions")
    names = tuple(dict.fromkeys(w for w in re.split(r"[\s,]+", raw_ext) if w))
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise reader.error(
                "hg.extensions", raw_ext, "expected Mercurial extension names, e.g. largefiles evolve"
            )
    words = [w for w in re.split(r"[\s,]+", reader.raw("hg.evolution")) if w]
    unknown = [w for w in words if w not in HG_EVOLUTION_WORDS]
    if unknown:
        raise reader.error(
            "hg.evolution",
            reader.raw("hg.evolution"),
            "expected some of " + ", ".join(sorted(HG_EVOLUTION_WORDS)),
        )
    encoding = reader.raw("hgencoding").strip()
    if encoding and encoding.lower().replace("-", "").replace("_", "") != "utf8":
        log.warning(
            "%s: hgencoding = %s is ignored: Lindos always reads Mercurial metadata as UTF-8",
            reader.path,
            encoding,
        )
    return {"hg_extensions": names, "hg_evolution": ",".join(words)}


def load_config(path: str) -> Config:
    """Read and validate the INI file at `path`; raise ConfigError if wrong."""
    reader = _Reader(path)
    log_unknown_keys(reader)
    smtp_use_ssl = parse_bool(reader, "smtp_use_ssl")
    smtp_use_tls = parse_bool(reader, "smtp_use_tls")
    if smtp_use_ssl and smtp_use_tls:
        raise reader.error(
            "smtp_use_tls", reader.raw("smtp_use_tls"), "smtp_use_ssl and smtp_use_tls cannot both be true"
        )
    if reader.raw("smtp_port").strip():
        smtp_port = parse_int(reader, "smtp_port", 1, 65535, "a port number (1-65535)")
    else:
        smtp_port = 465 if smtp_use_ssl else 25
    db_url = reader.raw("sqlalchemy.url").strip()
    try:
        database = database_from_url(db_url)
    except DatabaseURLError as exc:
        raise reader.error("sqlalchemy.url", db_url, str(exc))
    secret = reader.raw("secret_key").strip() or reader.raw("session.secret").strip()
    if not secret:
        raise reader.error(
            "session.secret", "", "a secret is required (lindos config-create writes a random one)"
        )
    server_port = parse_server_int(reader, "port", 0, 65535, "a port number (0-65535)")
    if "max_body_size" in reader.values:
        max_body_size = parse_int(reader, "max_body_size", 1024, None, "a size in bytes")
    else:
        # Kallithea's files set the limit in waitress's own section.
        max_body_size = parse_server_int(reader, "max_request_body_size", 1024, None, "a size in bytes")
    use_celery = parse_bool(reader, "use_celery")
    canonical_url = parse_url(reader, "canonical_url")
    server_host = reader.server("host").strip()
    check_server_host(reader, server_host)
    celery = celery_settings(reader)
    if use_celery and not celery.get("broker_url"):
        raise reader.error(
            "use_celery", reader.raw("use_celery"), "needs celery.broker_url (e.g. redis://localhost:6379/0)"
        )
    return Config(
        path=os.path.abspath(path),
        here=reader.here,
        debug=parse_bool(reader, "debug"),
        database=database,
        database_url=db_url,
        base_path=os.path.abspath(reader.raw("base_path").strip()),
        cache_dir=os.path.abspath(reader.raw("cache_dir").strip()),
        canonical_url=canonical_url,
        allowed_hosts=parse_allowed_hosts(reader, canonical_url, server_host),
        secret_key=secret,
        lang=reader.raw("lang").strip() or "en",
        use_celery=use_celery,
        celery=celery,
        smtp_server=reader.raw("smtp_server").strip(),
        smtp_port=smtp_port,
        smtp_username=reader.raw("smtp_username").strip(),
        smtp_password=reader.raw("smtp_password"),
        smtp_use_ssl=smtp_use_ssl,
        smtp_use_tls=smtp_use_tls,
        smtp_auth=parse_smtp_auth(reader),
        smtp_timeout=float(parse_int(reader, "smtp_timeout", 1, None, "seconds (a whole number)")),
        email_to=parse_address_list(reader, "email_to"),
        app_email_from=parse_address(reader, "app_email_from"),
        error_email_from=parse_address(reader, "error_email_from"),
        email_prefix=reader.raw("email_prefix").strip(),
        email_retry_seconds=parse_int(reader, "email_retry_seconds", 0, None, "seconds"),
        error_email_interval_seconds=parse_int(reader, "error_email_interval_seconds", 0, None, "seconds"),
        max_body_size=max_body_size,
        max_form_body_size=min(
            max_body_size, parse_int(reader, "max_form_body_size", 1024, None, "a size in bytes")
        ),
        server_host=server_host,
        server_port=server_port,
        server_workers=parse_server_int(reader, "workers", 0, 512, "a number of processes (0: one per core)"),
        cache_url=parse_cache_url(reader),
        archive_cache_size=parse_int(reader, "archive_cache_size", 0, None, "a size in bytes"),
        has_logging_sections=reader.parser.has_section("loggers"),
        ssh_enabled=parse_bool(reader, "ssh_enabled"),
        ssh_authorized_keys=parse_path(reader, "ssh_authorized_keys"),
        kallithea_cli_path=parse_cli_path(reader),
        ssh_locale=parse_one_line(reader, "ssh_locale"),
        clone_ssh_tmpl=parse_one_line(reader, "clone_ssh_tmpl") or KNOWN_KEYS["clone_ssh_tmpl"],
        server_proxy={
            key: reader.server(key).strip() for key in SERVER_PROXY_KEYS if reader.server(key).strip()
        },
        raw=dict(reader.values),
        webhook_timeout=float(parse_int(reader, "webhook_timeout", 1, 60, "seconds (1-60)")),
        webhook_allow_private_addresses=parse_bool(reader, "webhook_allow_private_addresses"),
        rss_items_per_page=parse_int(reader, "rss_items_per_page", 1, 100, "a number of entries (1-100)"),
        rss_cut_off_limit=parse_int(reader, "rss_cut_off_limit", 1024, None, "a size in bytes"),
        rss_include_diff=parse_bool(reader, "rss_include_diff"),
        gist_alias_url=parse_gist_alias_url(reader),
        **parse_hg_settings(reader),
    )


def ensure_data_folders(config: Config) -> None:
    """Create the folders the default configuration points into (``data/``
    for the SQLite database and caches, ``repos/``) so a fresh file works
    without preparing anything."""
    folders = [config.cache_dir, config.base_path]
    if config.database["ENGINE"].endswith("sqlite3"):
        folders.append(os.path.dirname(config.database["NAME"]))
    for folder in folders:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"{config.path}: cannot create folder {folder}: {exc.strerror}")


def config_path_from_environment() -> str:
    return os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH
