"""Settings for the club ledger, read from the environment (12-factor).

Every variable is listed in `.env.example`. With nothing set, the project runs
locally on SQLite; a production start (DEBUG off) refuses to run without an
explicit SECRET_KEY rather than silently using a throwaway one.
"""
import os
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from config.env import load_env_file
from config.logs import logging_config

# --- Local settings: a .env file fills in what the environment does not set (config/env.py) ---
load_env_file()

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (SQLite database, generated key, Huey's queue) lives in one ignored folder.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) needs a long random SECRET_KEY "
            "in the environment; for a local run put DEBUG=1 in .env (make run creates one)."
        )
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ledger.apps.ClubAdminConfig",  # django.contrib.admin with the club's site
    "django.contrib.auth",
    # The strawberry-django optimizer imports contenttypes for generic relations;
    # without the app it retries a failing import on every field it resolves.
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "strawberry_django",
    "axes",
    "huey.contrib.djhuey",
    "ledger",
    "delivery",
    "graphql_api",
    "sync",
    "jobs",
    "botclient",  # only for `manage.py run_bot`; the bot itself talks to the backend over GraphQL
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

def _database() -> dict:
    try:
        return dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    except ValueError as error:  # the URL itself may hold a password: name only what is wrong
        reason = str(error).split(". ")[0]
        raise ImproperlyConfigured(
            f"DATABASE_URL cannot be read ({reason}); expected postgres://user:password@host:5432/name, "
            "or leave it empty for SQLite in var/."
        ) from None


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every transaction take the write lock up front, so two
    # writers serialize instead of both reading a pending row and then racing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"  # GraphiQL sends anonymous staff there, with `next`

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Stored times are UTC; TIME_ZONE is only how the sheets and bot messages show them.
TIME_ZONE = os.environ.get("TIME_ZONE", "Indian/Maldives")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Slips (bank transfer images) are private: no URL serves MEDIA_ROOT. Staff see them through a view
# that checks the session, the bot through a signed, expiring link (ledger/slipserve.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # django-storages reads AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME and the AWS_* credentials (or
    # boto3's own chain) from the environment; objects are private and never addressed by the browser.
    SLIP_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False}}
else:
    SLIP_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "slips": SLIP_STORAGE,
}
# A slip may be up to 10 MB (ledger/validators.py); Django counts files apart from DATA_UPLOAD_MAX_MEMORY_SIZE.
# Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# How long a slipUrl handed to the bot stays valid.
SLIP_URL_MAX_AGE_S = int(os.environ.get("SLIP_URL_MAX_AGE_S", "300"))
# Tests and local runs serve static files straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Served pages load only what they ship. GraphiQL's page has one inline style and one inline
# script, marked with the request's nonce (django-csp adds it where a page uses it); `data:` is
# its empty favicon and icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Throttling ---------------------------------------------------------------------------------

# Throttling counts live in Django's cache. Redis when REDIS_URL is set: one count for all gunicorn
# workers and hosts, with atomic increments. Without it, each worker's local memory: counts are per
# worker (a client gets up to WEB_CONCURRENCY times a limit), which is still a bound; the database
# cache would be shared but increments there are a read and a write, so concurrent requests lose
# counts, and every request would write a row.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ledger"}
    if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ledger"})}

# The API (graphql_api/throttle.py, django-ratelimit rates: count/s, /m, /h). The bot at Telegram's
# full rate is 30 messages a second across players, each a few API calls: about 150 calls a second
# for the token, a few a second for one player.
API_RATE_PER_CALLER = os.environ.get("API_RATE_PER_CALLER", "18000/m")  # the token + actorTelegramId, or a staff user
API_RATE_PER_PLAYER = os.environ.get("API_RATE_PER_PLAYER", "600/m")  # each telegramId a request names
API_RATE_BAD_TOKEN = os.environ.get("API_RATE_BAD_TOKEN", "10/m")  # wrong bearer tokens per client address
# The client address as django-ratelimit reads it; behind a proxy that sets it, e.g. HTTP_X_REAL_IP.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")

# The admin login (django-axes): locked out per client address and username after this many
# failures, for this long; the failures are kept in the database.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No start-up banner in every command's output (startup failures are one line); lockouts still log.
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "graphql_api.throttle.client_address"  # the same address as the API's throttle

# --- The club's configuration (domain.md, "Configuration") -------------------

API_TOKEN = os.environ.get("API_TOKEN", "")
# The Mini App's init data is signed with the bot's token; the backend checks it (graphql_api/miniapp.py).
BOT_TOKEN = os.environ.get("BOT_TOKEN", "")
MINIAPP_MAX_AGE_S = int(os.environ.get("MINIAPP_MAX_AGE_S", "86400"))
ADMIN_USER_IDS = [int(item) for item in env_list("ADMIN_USER_ID")]
WITHDRAWAL_MIN_MVR = Decimal(os.environ.get("WITHDRAWAL_MIN_MVR", "200"))
# What one approved spin chip costs the club, in MVR, in the report's net figure.
CHIP_VALUE_MVR = Decimal(os.environ.get("CHIP_VALUE_MVR", "1"))
# Seat on credit: a seat request nobody decided is rejected after this; payment reminders this far apart.
SEAT_REQUEST_TIMEOUT_S = int(os.environ.get("SEAT_REQUEST_TIMEOUT_S", "120"))
SEAT_REMINDER_S = int(os.environ.get("SEAT_REMINDER_S", "60"))
# Live support: a session whose admin's last message the player has not answered this long closes itself.
SUPPORT_IDLE_MINUTES = float(os.environ.get("SUPPORT_IDLE_MINUTES", "2"))
# Recovery (cashback): the least a player must have deposited since their last approved withdrawal or
# claim, in MVR, to claim.
CASHBACK_MIN_MVR = Decimal(os.environ.get("CASHBACK_MIN_MVR", "500"))
# What an approved join request hands the player: the club's id in PPPoker and its invitation link.
CLUB_ID = os.environ.get("CLUB_ID", "")
CLUB_LINK = os.environ.get("CLUB_LINK", "")

# --- Task queue ---------------------------------------------------------------

if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "club-ledger", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "club-ledger",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

# --- Google Sheets mirror -----------------------------------------------------

GOOGLE_SHEETS_CREDENTIALS_FILE = os.environ.get("GOOGLE_SHEETS_CREDENTIALS_FILE", "")
SPREADSHEET_ID = os.environ.get("SPREADSHEET_ID", "")
SPREADSHEET_NAME = os.environ.get("SPREADSHEET_NAME", "")
SHEETS_API_BASE_URL = os.environ.get("SHEETS_API_BASE_URL", "")

# The Telegram bot is a client of its own: it reads BOT_TOKEN, API_URL and the rest itself
# (botclient/config.py); of its variables only BOT_TOKEN is also a Django setting, to check the
# Mini App's init data.

LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))

# --- The Django admin as the club's desk ----------------------------------------

CLUB_NAME = os.environ.get("CLUB_NAME", "Club ledger")
