"""Django settings, derived from the INI file named by $LINDOS_CONFIG.

Nothing here is meant to be edited: operators configure Lindos through the
Kallithea-compatible INI file (see README.md and ``lindos config-create``).
"""

import os
import sys

from lindos.config import ConfigError, config_path_from_environment, load_config
from lindos.logsetup import build_logging

try:
    # Loading only reads: folders are made by serve and db-upgrade
    # (lindos.cli.db_upgrade.prepare_folders), so `lindos check` leaves none.
    LINDOS = load_config(config_path_from_environment())
    build_logging(LINDOS)
except ConfigError as exc:
    # One line, naming file, section, key and value; no traceback.
    print(f"lindos: error: {exc}", file=sys.stderr)
    raise SystemExit(2)

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
DEBUG = LINDOS.debug
SECRET_KEY = LINDOS.secret_key
# Only trusted names: links in mail are built on the Host of the request
# that caused them when canonical_url is unset (see lindos/hosts.py).
ALLOWED_HOSTS = list(LINDOS.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "lindos.accounts",
    "lindos.appsettings",
    "lindos.notifications",
    "lindos.repos",
    "lindos.review",
    "lindos.webhooks",
    "lindos.api",
    "lindos.background",
    "lindos.ssh",
    "lindos.kallithea_import",
    "lindos.externalauth",
    "lindos.search",
    "lindos.activity",
    "lindos.gists",
    "lindos.ipaccess",
]

# Who may log in, and through what: Lindos's own passwords, an LDAP
# directory, and (by middleware) a trusted front-end; each is switched on
# and set up at Admin > Authentication (lindos.externalauth).
AUTHENTICATION_BACKENDS = [
    "lindos.externalauth.backends.InternalBackend",
    "lindos.externalauth.ldap_backend.LindosLDAPBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lindos.security_headers.SecurityHeadersMiddleware",  # CSP, HSTS (static files too)
    "lindos.transport.body_limit.BodyLimitMiddleware",  # 413 before anything reads a body
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lindos.externalauth.container.ContainerLoginMiddleware",  # a user named by a trusted front-end
    "lindos.ipaccess.middleware.IpAccessMiddleware",  # the account's allowed networks, every request
    "lindos.repos.permission_cache.PermissionCacheMiddleware",  # one request's permission answers
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lindos.notifications.links.ActionLinkBaseMiddleware",
    "lindos.appsettings.middleware.RefreshAppSettingsMiddleware",
    "lindos.accounts.anonymous.AnonymousAccessMiddleware",  # Admin > Permissions: anonymous access
]

# Forms read by Django hold at most this much (file uploads apart, which
# BodyLimitMiddleware bounds by their declared length).
DATA_UPLOAD_MAX_MEMORY_SIZE = LINDOS.max_form_body_size

ROOT_URLCONF = "lindos.urls"
WSGI_APPLICATION = "lindos.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/_admin/login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(BASE_DIR, "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lindos.appsettings.context_processors.app_settings",
                "lindos.ssh.context_processors.ssh",
                "lindos.notifications.mail_health.mail_banner",
            ],
            "builtins": ["lindos.timefmt"],
        },
    },
]

DATABASES = {"default": LINDOS.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if DATABASES["default"]["ENGINE"].endswith("mysql"):
    try:
        import MySQLdb  # noqa: F401  (mysqlclient, the fast driver)
    except ImportError:
        # No compiler on the machine: PyMySQL speaks the same protocol.
        import pymysql

        pymysql.install_as_MySQLdb()


def cache_settings(config) -> dict:
    """Django's cache: files under ``cache_dir`` (shared by the processes of
    one machine), or Redis at ``cache.url`` (shared by several machines)."""
    if config.cache_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": config.cache_url,
                "TIMEOUT": 7 * 24 * 3600,
                "KEY_PREFIX": "lindos",
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.path.join(config.cache_dir, "cache"),
            "TIMEOUT": 7 * 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }


CACHES = cache_settings(LINDOS)

LANGUAGE_CODE = LINDOS.lang.replace("_", "-").lower()
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/_static/"
STATICFILES_DIRS = [os.path.join(BASE_DIR, "static")]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_NAME = "lindos"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = LINDOS.canonical_url.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if LINDOS.canonical_url:
    CSRF_TRUSTED_ORIGINS = [
        LINDOS.canonical_url.split("/", 3)[0] + "//" + LINDOS.canonical_url.split("/", 3)[2]
    ]
PASSWORD_RESET_TIMEOUT = 3600
# Kallithea's rule: at least 6 characters.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 6}},
]

# Mail goes through the outbox; this backend is what the delivery worker uses.
EMAIL_BACKEND = "lindos.notifications.smtp_backend.KallitheaSMTPBackend"
DEFAULT_FROM_EMAIL = LINDOS.app_email_from
SERVER_EMAIL = LINDOS.error_email_from

LOGGING_CONFIG = None  # build_logging above configured logging from the INI file

# Passwords imported from Kallithea (lindos import-kallithea) keep their
# hashes; after the default, so a login re-hashes them with it.
KALLITHEA_PASSWORD_HASHERS = [
    "lindos.kallithea_import.hashers.KallitheaBcryptPasswordHasher",
    "lindos.kallithea_import.hashers.KallitheaSha256PasswordHasher",
]
if os.environ.get("LINDOS_TEST_FAST_PASSWORDS"):
    # Only the test suite sets this: hashing is slow by design.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *KALLITHEA_PASSWORD_HASHERS]
else:
    from django.conf import global_settings

    PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, *KALLITHEA_PASSWORD_HASHERS]
