"""Every INI key Lindos reads, declared once.

Three things are built from this table and nothing else, so they cannot
disagree: the keys `lindos.config` accepts (with their defaults), the file
``lindos config-create`` writes (`lindos.config_template`), and the key
tables of README.md (`lindos.config_docs`, rewritten with
``scripts/gen-config-docs``). A test fails when the README is stale or when
code reads a key that is not here.

Order matters: the template lists each section's keys, and each README
table its keys, in the order they stand below.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT = "DEFAULT"
APP = "app:main"
SERVER = "server:main"

# How config-create writes a key.
LIVE = "live"  # as a setting: ``key = value``
COMMENTED = "commented"  # as documentation of its default: ``#key = value``
OMITTED = "omitted"  # not at all (a Kallithea spelling, a rarely wanted option)


@dataclass(frozen=True)
class Key:
    """One key: where it stands, what it defaults to, how it is documented.

    ``default`` is what Lindos takes when the file doesn't set the key
    (``%(here)s`` is the folder holding the file). ``doc`` is the README's
    "meaning" cell and ``shown_default`` its "default" cell when the bare
    value says too little. ``note`` is the comment config-create writes
    above the key, ``example`` the value it writes instead of the default,
    ``written_as`` the name it writes instead of the key's (``set debug``).
    """

    name: str
    default: str = ""
    doc: str = ""
    section: str = APP
    readme: str = "main"  # which README table lists it
    shown_default: str = ""
    write: str = COMMENTED
    example: str | None = None
    note: str = ""
    gap: bool = False  # a blank line before it in the template (a new group)
    written_as: str = ""
    passed_on: bool = False  # a [server:main] option handed to waitress as written

    @property
    def is_prefix(self) -> bool:
        """``celery.*``: every key with this prefix is taken."""
        return self.name.endswith(".*")


KEYS = (
    # [app:main] (read from [DEFAULT] too, [app:main] winning)
    Key(
        "debug",
        "false",
        "interactive tracebacks instead of error emails; never in production "
        "(`set debug = true` in `[app:main]`)",
        note="Interactive tracebacks instead of error emails.  NEVER in production.",
        written_as="set debug",
    ),
    Key(
        "sqlalchemy.url",
        "sqlite:///%(here)s/data/lindos.db?timeout=60",
        "the database, as Kallithea writes it: `sqlite:///PATH?timeout=S`, "
        "`postgresql://USER:PW@HOST[:PORT]/DB`, `mysql://USER:PW@HOST[:PORT]/DB?charset=utf8` "
        "(also for MariaDB)",
        write=LIVE,
        gap=True,
        note="Database, written as Kallithea writes it:\n"
        "  sqlite:///%(here)s/data/lindos.db?timeout=60\n"
        "  postgresql://user:password@localhost/lindos\n"
        "  mysql://user:password@localhost/lindos?charset=utf8",
    ),
    Key(
        "base_path",
        "%(here)s/repos",
        "folder holding the repositories",
        write=LIVE,
        gap=True,
        note="Folder holding the repositories.",
    ),
    Key(
        "cache_dir",
        "%(here)s/data",
        "caches (highlighted files, annotations, diffs, archives)",
        write=LIVE,
        note="Folder for caches (highlighted files, annotations) and other data.",
    ),
    Key(
        "canonical_url",
        "",
        "the URL users reach Lindos at (`http(s)://HOST[:PORT][/PATH]`); every link in mail is built "
        "on it. Unset: on the address each action came in on (its Host must be in `allowed_hosts`)",
        shown_default="(none; `config-create` writes one)",
        example="https://lindos.example.com",
        gap=True,
        note="The URL users reach this server at.  Every link in a mail is built on it\n"
        "(unset: on the address each action came in on, if allowed_hosts trusts\n"
        "it).  config-create writes it from --host/--port, or this machine's name.",
    ),
    Key(
        "allowed_hosts",
        "",
        "comma-separated host names Lindos answers to (`.example.com`: the domain and its subdomains; "
        "`*`: any, only with `canonical_url` set); a request naming another `Host` gets 400, so no "
        "link is ever built on a forged one",
        shown_default="the host of `canonical_url` and the names of `[server:main] host` (`localhost`, "
        "`127.0.0.1`, `[::1]` for a loopback address; also this machine's names and addresses for "
        "`0.0.0.0`)",
        example="lindos.example.com, localhost",
        note='Host names this server answers to, comma separated (".example.com": the\n'
        'domain and its subdomains; "*": any, only with canonical_url set).  A\n'
        "request naming another Host is refused (400).  Default: the host of\n"
        "canonical_url and the names of [server:main] host (this machine's names\n"
        "when it is 0.0.0.0).",
    ),
    Key(
        "session.secret",
        "",
        "signs sessions and tokens; `config-create` writes a random one",
        shown_default="(required, unless `secret_key` is set)",
        write=LIVE,
        example="{secret}",  # config-create puts a fresh random secret here
        gap=True,
        note="Secret used to sign sessions and tokens.  Keep it secret.",
    ),
    Key(
        "secret_key",
        "",
        "another name for `session.secret` (used when that one is unset)",
        note="(secret_key is accepted as another name for it.)",
    ),
    Key(
        "lang",
        "en",
        "interface language",
        write=LIVE,
        gap=True,
        note="Language of the interface.",
    ),
    Key(
        "max_body_size",
        "4294967296",
        "largest request body `lindos serve` accepts, for a push (git `receive-pack`, hg `unbundle`) "
        "whose credentials were checked",
        shown_default="`[server:main] max_request_body_size` if set (Kallithea's waitress section), "
        "else `4294967296`",
        gap=True,
        note='Largest request body accepted by "lindos serve" (bytes) for a push\n'
        "(git receive-pack, hg unbundle) whose credentials were checked.",
    ),
    Key(
        "max_form_body_size",
        "1048576",
        "largest request body for everything else (forms, fetches, anonymous or unchecked pushes): "
        "bigger ones get 413 before they are read; at most `max_body_size`",
        note="Largest request body for anything else (forms, fetches, anonymous\n"
        "requests): bigger ones get 413 before they are read.",
    ),
    Key(
        "webhook_timeout",
        "10",
        "seconds (1-60) a webhook receiver gets to connect and answer",
        gap=True,
        note="Webhooks: seconds to wait for a receiver (1-60), and whether receivers\n"
        "may be on loopback, private, link-local or otherwise non-public\n"
        "addresses (refused by default: a URL anyone with repository admin rights\n"
        "types must not reach services inside your network).",
    ),
    Key(
        "webhook_allow_private_addresses",
        "false",
        "`true` lets webhooks reach loopback, private, link-local and other non-public addresses "
        "(see *Webhooks*)",
    ),
    Key(
        "hg.extensions",
        "largefiles",
        "Mercurial extensions loaded to serve hg repositories, space separated; `largefiles` comes "
        "with Mercurial, `evolve` and `topic` with the `hg-evolve` package (one that is not installed "
        "is left out, with one warning line in the log naming the package)",
        note="Mercurial extensions loaded to serve hg repositories (space separated).\n"
        "largefiles comes with Mercurial; evolve and topic need the hg-evolve\n"
        "package (one not installed is left out, with a warning).",
    ),
    Key(
        "hg.evolution",
        "",
        "Mercurial's `experimental.evolution` for served repositories, e.g. `all` to accept and "
        "exchange obsolescence markers; empty: what each repository's own `.hg/hgrc` says, as with "
        "`hg serve`",
        shown_default="(empty)",
        note="Obsolescence markers: Mercurial's experimental.evolution for served\n"
        'repositories, e.g. "all" to accept and exchange them (empty: what each\n'
        'repository\'s own .hg/hgrc says, as with "hg serve").',
    ),
    Key(
        "hgencoding",
        "utf-8",
        "Kallithea's key: Lindos always reads Mercurial metadata as UTF-8 (another value is ignored, "
        "with a warning)",
        note="Kallithea's key: Lindos always reads Mercurial metadata as UTF-8.",
    ),
    Key(
        "cache.url",
        "",
        "a Redis URL (`redis://HOST:6379/1`, `rediss://`, `unix://`) for the page cache, shared by "
        "several machines",
        shown_default="(none: files under `cache_dir/cache`)",
        example="redis://localhost:6379/1",
        note="Shared cache of rendered pages (highlighted files, annotations, diffs).\n"
        "Empty: files under cache_dir, shared by the processes of this machine.\n"
        "With several machines serving, one Redis for all of them:",
    ),
    Key(
        "archive_cache_size",
        "1073741824",
        "bytes of downloaded archives kept under `cache_dir/archives` (least recently downloaded "
        "removed first); `0` keeps none",
        note="Archives (zip, tar.gz, tar.bz2) downloaded are kept under\n"
        "cache_dir/archives up to this many bytes in all (least recently\n"
        "downloaded removed first); 0 keeps none.",
    ),
    # Feeds (Kallithea's keys, with the values its config-create wrote)
    Key(
        "rss_items_per_page",
        "10",
        "entries in each feed (1-100)",
        readme="feeds",
        gap=True,
        note="Feeds (/REPO/feed/rss, /REPO/feed/atom, the journals' feeds): entries\n"
        "per feed (1-100), bytes of a changeset's diff put in its entry, and\n"
        "whether the diff itself goes into each entry.",
    ),
    Key(
        "rss_cut_off_limit",
        "256000",
        "bytes of a changeset's diff put in its entry; a bigger one says \"Changeset was too big and "
        'was cut off..."',
        readme="feeds",
    ),
    Key(
        "rss_include_diff",
        "false",
        "put each changeset's diff (up to `rss_cut_off_limit`) in its entry",
        readme="feeds",
    ),
    # Gists (Kallithea's key)
    Key(
        "gist_alias_url",
        "",
        "the URL given for each gist in place of `/_admin/gists/ID`, `{gistid}` standing for its ID "
        "(e.g. `https://gist.example.com/{gistid}`, a site that redirects there); empty: Lindos's own URL",
        readme="gists",
        shown_default="(empty)",
        gap=True,
        note="Gists: the URL given for each gist (on its page and in the API's\n"
        "answers) instead of Lindos's own .../_admin/gists/ID, {gistid} standing\n"
        "for the gist's ID. Empty: Lindos's own URL.",
        example="https://gist.example.com/{gistid}",
    ),
    Key(
        "use_celery",
        "false",
        "`true`: background work runs in `lindos worker` processes through Celery",
        write=LIVE,
        gap=True,
        note='Background work.  false: an embedded worker inside "lindos serve" (no\n'
        'other service needed).  true: "lindos serve" only enqueues and\n'
        '"lindos worker" processes run the work through Celery.',
    ),
    Key(
        "celery.broker_url",
        "",
        "the broker, e.g. `redis://localhost:6379/0` (required with `use_celery = true`)",
        example="redis://localhost:6379/0",
    ),
    Key(
        "broker.url",
        "",
        "older Kallithea files' name for `celery.broker_url`",
        write=OMITTED,
    ),
    Key(
        "celery.sweep_interval",
        "60",
        "seconds between the workers' sweeps for mail whose task was lost",
        note="Seconds between the workers' sweeps for mail whose broker message was lost:",
    ),
    Key(
        "celery.*",
        "",
        "any other key is passed to Celery without the prefix",
        example="1",
        written_as="celery.worker_prefetch_multiplier",
        note="Any other celery.* key is passed to Celery, e.g.:",
    ),
    # SSH (Kallithea 0.6's keys and defaults; see lindos/ssh/)
    Key(
        "ssh_enabled",
        "false",
        "serve SSH, show the key pages and write `authorized_keys`",
        readme="ssh",
        write=LIVE,
        gap=True,
        note="SSH access (git and hg).  sshd runs as it is; Lindos writes the\n"
        'authorized_keys file of the account sshd serves (see README "SSH").',
    ),
    Key(
        "ssh_authorized_keys",
        "~/.ssh/authorized_keys",
        "the file Lindos writes",
        readme="ssh",
        shown_default="`~/.ssh/authorized_keys` (of the user running Lindos)",
        note="The file Lindos (re)writes when a key changes; its other lines are kept.",
    ),
    Key(
        "kallithea_cli_path",
        "",
        "the program each key line runs (a Kallithea file names `kallithea-cli` here: point it at `lindos`)",
        readme="ssh",
        shown_default="the `lindos` of this install",
        example="/srv/lindos/.venv/bin/lindos",
        note="The lindos program each key line runs (default: the one of this install).",
    ),
    Key(
        "ssh_locale",
        "",
        "`LC_ALL` for `ssh-serve`, e.g. `C.UTF-8`",
        readme="ssh",
        example="C.UTF-8",
        note="Locale for ssh-serve (an SSH client may send one the server lacks).",
    ),
    Key(
        "clone_ssh_tmpl",
        "ssh://{system_user}@{hostname}/{repo}",
        "the SSH clone URL shown (`{system_user}`, `{hostname}`, `{repo}`, `{repoid}`, `{user}`, "
        "`{scheme}`, `{netloc}`, `{prefix}`)",
        readme="ssh",
        note="SSH clone URL shown on summary pages ({system_user}, {hostname}, {repo}).",
    ),
    # [server:main]: waitress's section in Kallithea's files
    Key(
        "host",
        "127.0.0.1",
        "address `lindos serve` listens on",
        section=SERVER,
        write=LIVE,
        note='Address and port "lindos serve" listens on.',
    ),
    Key("port", "5000", "port `lindos serve` listens on", section=SERVER, write=LIVE),
    Key(
        "workers",
        "0",
        "server processes of `lindos serve` (`--workers` overrides)",
        section=SERVER,
        shown_default="`0` (one per core)",
        note="Server processes; 0 starts one per core.  One of them also runs the\n"
        "embedded background worker.",
    ),
    Key(
        "max_request_body_size",
        "4294967296",
        "Kallithea's (waitress's) body limit; used as `max_body_size` when that is unset",
        section=SERVER,
        write=OMITTED,
    ),
    # waitress's own options for a reverse proxy in front of it, passed on as
    # Kallithea's [server:main] passed them: with them, the client's address
    # from X-Forwarded-For becomes REMOTE_ADDR, which the login throttle counts.
    Key(
        "trusted_proxy",
        "",
        "waitress's option, passed on: the reverse proxy's address; with `trusted_proxy_headers = "
        "x-forwarded-for`, the client's address is taken from the proxy's header (see *Logins and "
        "limits*)",
        section=SERVER,
        passed_on=True,
        example="127.0.0.1",
        note="Behind a reverse proxy: its address, and the header it puts the client's\n"
        "address in (waitress's options).  Lindos then sees, logs and throttles\n"
        "logins by the client's address instead of the proxy's.",
    ),
    Key(
        "trusted_proxy_headers",
        "",
        "waitress's option, passed on: the headers of `trusted_proxy` to believe, e.g. `x-forwarded-for`",
        section=SERVER,
        passed_on=True,
        example="x-forwarded-for",
    ),
    Key(
        "trusted_proxy_count",
        "",
        "waitress's option, passed on: how many proxies in front of Lindos add to `X-Forwarded-For`",
        section=SERVER,
        passed_on=True,
        write=OMITTED,
    ),
    Key(
        "clear_untrusted_proxy_headers",
        "",
        "waitress's option, passed on: drop proxy headers `trusted_proxy_headers` doesn't name",
        section=SERVER,
        passed_on=True,
        write=OMITTED,
    ),
    # [DEFAULT]: where Kallithea writes its mail settings
    Key(
        "email_to",
        "",
        "comma-separated addresses: error mails, and fallback recipients",
        section=DEFAULT,
        readme="email",
        example="admin@example.com",
        note='Email settings (see README.md, "Email")\n'
        "Addresses that receive error emails, and the fallback recipients of\n"
        "application emails (comma separated).",
    ),
    Key(
        "error_email_from",
        "Lindos Errors <lindos-noreply@localhost>",
        "sender of error mails",
        section=DEFAULT,
        readme="email",
        note='Sender of error emails: "address" or "Name <address>".',
    ),
    Key(
        "app_email_from",
        "Lindos <lindos-noreply@localhost>",
        "sender of application mails: `address` or `Name <address>`",
        section=DEFAULT,
        readme="email",
        note="Sender of application emails.  Mails caused by a user's action are sent as\n"
        '"Full Name (no-reply)" <address of app_email_from>.',
    ),
    Key(
        "email_prefix",
        "",
        "put in front of every application mail's subject, with one space",
        section=DEFAULT,
        readme="email",
        note="Prefix for the subject of application emails, e.g. [Lindos]",
    ),
    Key(
        "smtp_server",
        "",
        "SMTP server; when empty, mails are written to the log and kept in the outbox",
        section=DEFAULT,
        readme="email",
        example="mail.example.com",
        gap=True,
        note="SMTP server; empty means mails are only logged (and kept in the outbox).",
    ),
    Key(
        "smtp_username",
        "",
        "log in only when both `smtp_username` and `smtp_password` are set",
        section=DEFAULT,
        readme="email",
    ),
    Key("smtp_password", "", "the SMTP password", section=DEFAULT, readme="email"),
    Key(
        "smtp_port",
        "",
        "the SMTP server's port",
        section=DEFAULT,
        readme="email",
        shown_default="`25`, or `465` with `smtp_use_ssl`",
        note="Default 25, or 465 with smtp_use_ssl.",
    ),
    Key(
        "smtp_use_ssl",
        "false",
        "implicit TLS on connect",
        section=DEFAULT,
        readme="email",
        note='Implicit TLS ("SSL") on connect:',
    ),
    Key(
        "smtp_use_tls",
        "false",
        "STARTTLS",
        section=DEFAULT,
        readme="email",
        note="STARTTLS after connecting:",
    ),
    Key(
        "smtp_auth",
        "",
        "force ESMTP AUTH mechanism(s), e.g. `LOGIN` or `PLAIN`",
        section=DEFAULT,
        readme="email",
        shown_default="(server's choice)",
        note="Force ESMTP AUTH mechanism(s), e.g. LOGIN or PLAIN, for badly advertising servers:",
    ),
    Key(
        "smtp_timeout",
        "30",
        "seconds to wait for the SMTP server",
        section=DEFAULT,
        readme="email",
        note="Seconds to wait for the SMTP server:",
    ),
    Key(
        "email_retry_seconds",
        "172800",
        "how long a mail that fails for a temporary reason is retried",
        section=DEFAULT,
        readme="email",
        note="How long a mail that cannot be delivered for a temporary reason is retried (seconds):",
    ),
    Key(
        "error_email_interval_seconds",
        "600",
        "the same error is mailed at most once per interval, with a count",
        section=DEFAULT,
        readme="email",
        note="The same error is mailed at most once per this many seconds (with a count):",
    ),
)

#: Keys of [DEFAULT]/[app:main] (merged as PasteDeploy does) with their defaults.
KNOWN_KEYS = {k.name: k.default for k in KEYS if k.section != SERVER and not k.is_prefix}
#: Keys of [server:main] with their defaults.
SERVER_KEYS = {k.name: k.default for k in KEYS if k.section == SERVER}
#: Prefixes under which any key is taken (``celery.`` for ``celery.*``).
KNOWN_PREFIXES = tuple(k.name[:-1] for k in KEYS if k.is_prefix)
#: waitress's reverse-proxy options, passed on to it as written.
SERVER_PROXY_KEYS = tuple(k.name for k in KEYS if k.passed_on)
