"""Mawa's one settings file.

Every setting is read from the environment here, with defaults that make a fresh checkout run
with no outside service: SQLite in WAL mode under ./var, DEBUG on only when MAWA_DEBUG says so.
A secret may come from a file named by X_FILE (for container and systemd secrets).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    """Read NAME from the environment, or from the file that NAME_FILE points at."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("MAWA_DATA_DIR", str(PROJECT_DIR / "var")))
DEBUG = env_bool("MAWA_DEBUG")
# Keys of the values encrypted at rest (mawa.core.vault): outside the database, backed up apart.
MAWA_KEY_DIR = env("MAWA_KEY_DIR")
SECRET_KEY = env("MAWA_SECRET_KEY") or "insecure-development-key-" + "change-me" * 3
# (Django's test runner adds `testserver` itself: production has no need of it.)
ALLOWED_HOSTS = [h for h in env("MAWA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("MAWA_CSRF_TRUSTED_ORIGINS").split(",") if o]


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL (postgres://user:pw@host:port/name, sqlite:///path, or
    sqlcipher:///path for a field node's encrypted database) into settings."""
    if not url:
        url = f"sqlite:///{DATA_DIR / 'mawa.sqlite3'}"
    parts = urlparse(url)
    if parts.scheme in {"sqlite", "sqlcipher"}:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": (
                # a field node: encrypted at rest (mawa.field.sqlcipher says why)
                "mawa.field.sqlcipher"
                if parts.scheme == "sqlcipher"
                else "django.db.backends.sqlite3"
            ),
            "NAME": unquote(parts.path[1:]) if parts.path.startswith("//") else parts.path,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
                    # Checkpoint the WAL every ~40 MB instead of 4 MB: a checkpoint stalls the
                    # commit that runs it, and at the default the distribution point's slowest
                    # scans were those (on SQLCipher, which encrypts every page it copies).
                    " PRAGMA wal_autocheckpoint=10000;"
                ),
            },
            # A file, not the in-memory default: the live server of the browser tests then gives
            # each request thread its own connection (WAL, busy timeout) instead of sharing the
            # test's one connection, whose shared-cache table locks fail at once under load.
            # (one per process, so two test runs in one checkout never share a file)
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        options = {k: v[0] for k, v in parse_qs(parts.query).items()}
        # Statements run through mawa.core.prepared (the give's) are prepared after five runs
        # on a connection; Django's own cursors bind on the client and never prepare.
        # ?prepare_threshold=off for a pooler that cannot keep prepared statements.
        threshold = options.pop("prepare_threshold", "5")
        options["prepare_threshold"] = (
            None if threshold.lower() in {"off", "none", ""} else int(threshold)
        )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "OPTIONS": options,
        }
    raise ValueError(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported (sqlite, sqlcipher, postgres)"
    )


DATABASES = {"default": database_from_url(env("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "mawa.core",
    "mawa.registry",
    "mawa.names",
    "mawa.assistance",
    "mawa.field",
    "mawa.feedback",
    "mawa.hazards",
    "mawa.returns",
    "mawa.tracing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mawa.core.middleware.ContentSecurityPolicyMiddleware",
    "mawa.core.middleware.NulParameterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mawa.core.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mawa.core.middleware.UserLanguageMiddleware",
    "mawa.core.middleware.ClientAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "mawa.field.middleware.NodeWorkMiddleware",
]

ROOT_URLCONF = "mawa.urls"
WSGI_APPLICATION = "mawa.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(env("MAWA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("MAWA_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "mawa.core.middleware.request_address"

# Behind a TLS reverse proxy (nginx, Caddy) that sets X-Forwarded-Proto and appends the client's
# address to X-Forwarded-For: MAWA_BEHIND_PROXY=1. Only with such a proxy in front, or a client
# could claim HTTPS or another address.
MAWA_BEHIND_PROXY = env_bool("MAWA_BEHIND_PROXY")
if MAWA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mawa.core.context_processors.mawa",
            ],
        },
    },
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic")), ("ckb", _("Central Kurdish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "mawa_language"
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("MAWA_TIME_ZONE", "Asia/Baghdad")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Sessions end after 8 idle hours, and when the browser closes.
SESSION_COOKIE_AGE = int(env("MAWA_SESSION_SECONDS", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False  # renewed every few minutes instead: IdleSessionMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # Field nodes serve plain HTTP on a local Wi-Fi; MAWA_HTTPS=0 turns the HTTPS-only flags off.
    HTTPS = env_bool("MAWA_HTTPS", default=True)
    SESSION_COOKIE_SECURE = HTTPS
    CSRF_COOKIE_SECURE = HTTPS
    SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
    SECURE_SSL_REDIRECT = HTTPS and env_bool("MAWA_SSL_REDIRECT", default=False)

# Uploads: 20 MB is far more than a 100,000-row Kobo export needs.
# How many possible matches at sites outside theirs the duplicate check tells one user in an
# hour (each is audited); beyond it, such matches are withheld with a message until later.
MAWA_DISCLOSURES_PER_HOUR = int(env("MAWA_DISCLOSURES_PER_HOUR", "30"))
MAWA_MAX_UPLOAD_BYTES = int(env("MAWA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# The map needs no tile server; where one is reachable, its URL ({z}/{x}/{y}) adds a background.
MAP_TILE_URL = env("MAWA_MAP_TILES")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# How often (seconds) headquarters recomputes a node's manifest when the node syncs over HTTPS
# (about a second per 2,000 households served): at most once a minute by default.
# A node's whole manifest is recomputed this often, as a safety net under the change feed.
MAWA_MANIFEST_FULL_SECONDS = float(env("MAWA_MANIFEST_FULL_SECONDS", "21600"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAWA_PAGE_SIZE = 25
# Later apps add their part of the demo scenario here, loaded by dotted path after households
# (so that the registry's `mawa demo` never imports them).
MAWA_DEMO_STEPS = ["mawa.assistance.demo.load", "mawa.feedback.demo.load"]
# Complaints and feedback (mawa.feedback): the token an SMS gateway or RapidPro's webhook sends
# to /api/v1/feedback/sms (empty: the endpoint refuses every message), and how answers go back
# by SMS (a dotted path, e.g. mawa.feedback.senders.rapidpro; empty: they wait in the outbox).
MAWA_FEEDBACK_SMS_TOKEN = env("MAWA_FEEDBACK_SMS_TOKEN")
MAWA_FEEDBACK_SMS_SENDER = env("MAWA_FEEDBACK_SMS_SENDER")
MAWA_RAPIDPRO_URL = env("MAWA_RAPIDPRO_URL")
MAWA_RAPIDPRO_TOKEN = env("MAWA_RAPIDPRO_TOKEN")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("MAWA_LOG_LEVEL", "WARNING")},
    # Refusals (403/404) are expected in a scoped system; errors are still logged.
    "loggers": {"django.request": {"level": "ERROR"}},
}
