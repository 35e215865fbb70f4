"""Django settings for DigitalCov.

Every setting a deployment may change comes from an environment variable with a safe default, so the
project runs with no configuration on a laptop (SQLite, console email, pay at the register office).
`.env.example` lists them all and `docs/settings.md` explains each one.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """Return an environment variable, or the default when it is unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable."""
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list, dropping blanks."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("DIGITALCOV_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The fallback key is only for local use; `check --deploy` flags it, and production sets SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- The council running this instance (a "cobrand": another council changes these) ---------------
COUNCIL_NAME = env("COUNCIL_NAME", "Coventry City Council")
COUNCIL_SHORT_NAME = env("COUNCIL_SHORT_NAME", "Coventry")
COUNCIL_LOGO_URL = env("COUNCIL_LOGO_URL", "")
COUNCIL_ADMIN_DISTRICT_CODE = env("COUNCIL_ADMIN_DISTRICT_CODE", "E08000026")
COUNCIL_CONTACT_EMAIL = env("COUNCIL_CONTACT_EMAIL", "customer.services@example.gov.uk")
SERVICE_NAME = env("SERVICE_NAME", "My Account")
PHASE = env("PHASE", "beta")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "digitalcov.core",
    "digitalcov.accounts",
    "digitalcov.tips",
    "digitalcov.certificates",
    "digitalcov.myaccount",
    "digitalcov.sensors",
    "digitalcov.airquality",
    "digitalcov.records",
    "digitalcov.catalogue",
    "digitalcov.catalogue.quality",
    "digitalcov.catalogue.datastore",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "digitalcov.core.acting.ActingForMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "digitalcov.urls"
WSGI_APPLICATION = "digitalcov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "digitalcov.core.context_processors.council",
            ],
        },
    },
]
# GOV.UK markup for every Django form field (templates in core/templates/core/forms/).
FORM_RENDERER = "digitalcov.core.forms.GovukFormRenderer"


def database_config() -> dict:
    """The default database: SQLite (WAL, foreign keys on) in var/, or whatever DATABASE_URL names."""
    url = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'digitalcov.sqlite3'}")
    conn_max_age = env_int("DATABASE_CONN_MAX_AGE", 0)
    # A kept connection is checked before each request reuses it, so a restarted database server costs
    # one reconnection rather than an error.
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock at the
            # start of each transaction so two bookings queue instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        config.setdefault("TEST", {})["NAME"] = env("TEST_SQLITE_NAME", "") or None
    else:
        config.setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME", f"test_{config['NAME']}")
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["digitalcov.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "myaccount:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 2)
SIGN_IN_MAX_FAILURES = env_int("SIGN_IN_MAX_FAILURES", 5)
SIGN_IN_LOCKOUT_MINUTES = env_int("SIGN_IN_LOCKOUT_MINUTES", 15)
SIGN_IN_MAX_FAILURES_PER_IP = env_int("SIGN_IN_MAX_FAILURES_PER_IP", 50)
EMAIL_VERIFICATION_TIMEOUT = env_int("EMAIL_VERIFICATION_TIMEOUT", 3 * 24 * 60 * 60)
ACCOUNT_EMAIL_MIN_INTERVAL_SECONDS = env_int("ACCOUNT_EMAIL_MIN_INTERVAL_SECONDS", 120)
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 5)
ACCOUNT_EMAILS_PER_IP_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_IP_PER_HOUR", 50)

# Sessions end after 30 idle minutes (GOV.UK service manual suggests warning before a timeout; we keep it
# simple: the idle clock restarts on every request) and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# GOV.UK Frontend's compiled files are copied here by `digitalcov build_frontend` (never committed).
FRONTEND_BUILD_DIR = VAR_DIR / "frontend"
STATICFILES_DIRS = [FRONTEND_BUILD_DIR]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env("STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

# --- Email: queued through django-tasks, delivered by EMAIL_DELIVERY_BACKEND in the worker -------------
EMAIL_BACKEND = "digitalcov.core.email.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "My Account <noreply@example.gov.uk>")
NOTIFY_API_KEY = env("NOTIFY_API_KEY")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID")

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Payments -------------------------------------------------------------------------------------------
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", "pay_at_office")
GOVUK_PAY_API_KEY = env("GOVUK_PAY_API_KEY")
GOVUK_PAY_BASE_URL = env("GOVUK_PAY_BASE_URL", "https://publicapi.payments.service.gov.uk")

# --- Tip bookings ---------------------------------------------------------------------------------------
TIP_BOOKINGS_PER_HOUSEHOLD = env_int("TIP_BOOKINGS_PER_HOUSEHOLD", 4)
TIP_BOOKING_WINDOW_DAYS = env_int("TIP_BOOKING_WINDOW_DAYS", 14)

# --- City sensors (SensorThings API) -------------------------------------------------------------------
# Empty: no broker, nothing published (the embedded default needs no server). mqtt://127.0.0.1:1883 here.
MQTT_BROKER_URL = env("MQTT_BROKER_URL")
MQTT_TOPIC_PREFIX = env("MQTT_TOPIC_PREFIX", "v1.1")
# $select topics served to subscribers (space-separated, e.g. "Observations?$select=result,phenomenonTime").
MQTT_SELECT_TOPICS = env("MQTT_SELECT_TOPICS")

# How often each process re-reads the topics clients listen on (kept by sensors_mqtt_subscriptions).
MQTT_SUBSCRIPTIONS_REFRESH_SECONDS = float(env("MQTT_SUBSCRIPTIONS_REFRESH_SECONDS", "2"))
# How long a write waits for room in the publisher's queue while the broker is connected but behind.
MQTT_PUBLISH_WAIT_SECONDS = float(env("MQTT_PUBLISH_WAIT_SECONDS", "30"))
# --- Golden records (linking people across council systems) --------------------------------------------
RECORDS_LINKAGE_BACKEND = env("RECORDS_LINKAGE_BACKEND", "duckdb")
RECORDS_MATCH_THRESHOLD = float(env("RECORDS_MATCH_THRESHOLD", "0.95"))
RECORDS_REVIEW_THRESHOLD = float(env("RECORDS_REVIEW_THRESHOLD", "0.5"))
RECORDS_SURVIVORSHIP = env("RECORDS_SURVIVORSHIP", "trusted,email=recent,phone=recent")
RECORDS_U_SAMPLE_PAIRS = env_int("RECORDS_U_SAMPLE_PAIRS", 1_000_000)
# The steward's review queue: pairs with a match probability from LOWER up to (not including) UPPER.
RECORDS_REVIEW_LOWER = float(env("RECORDS_REVIEW_LOWER", env("RECORDS_REVIEW_THRESHOLD", "0.5")))
RECORDS_REVIEW_UPPER = float(env("RECORDS_REVIEW_UPPER", env("RECORDS_MATCH_THRESHOLD", "0.95")))
# Where files uploaded on the import page wait for the task worker (kept after import for audit).
RECORDS_UPLOAD_DIR = Path(env("RECORDS_UPLOAD_DIR", str(VAR_DIR / "records-uploads")))
# The Spark master for RECORDS_LINKAGE_BACKEND=spark: local[2] runs Spark inside this machine.
RECORDS_SPARK_MASTER = env("RECORDS_SPARK_MASTER", "local[2]")

# --- Open data catalogue -------------------------------------------------------------------------------
# Uploaded files (resource uploads) are stored under MEDIA_ROOT.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
CATALOGUE_UPLOAD_MAX_BYTES = env_int("CATALOGUE_UPLOAD_MAX_BYTES", 100 * 1024 * 1024)
# Search counts and facets are remembered this long for an unchanged catalogue (0: not at all).
CATALOGUE_SEARCH_CACHE_SECONDS = env_int("CATALOGUE_SEARCH_CACHE_SECONDS", 60)
CATALOGUE_UPLOAD_EXTENSIONS = env_list(
    "CATALOGUE_UPLOAD_EXTENSIONS",
    "csv,tsv,txt,json,geojson,jsonld,xml,rdf,ttl,xlsx,xls,ods,parquet,pdf,zip,kml,kmz,gpkg,shp,docx,odt",
)
# Resource pages preview uploaded files up to this size (bytes); larger ones are offered as downloads.
CATALOGUE_PREVIEW_MAX_BYTES = env_int("CATALOGUE_PREVIEW_MAX_BYTES", 20 * 1024 * 1024)
# DCAT: datasets per page of /catalog.{jsonld,ttl,rdf} (ckanext-dcat's default is 100).
CATALOGUE_DCAT_PAGE_SIZE = env_int("CATALOGUE_DCAT_PAGE_SIZE", 100)
# Quality: check link and API resources' URLs in the background (off for air-gapped councils), each
# request's timeout in seconds, and how many hours a result stands before the link is checked again.
CATALOGUE_LINK_CHECKS = env_bool("CATALOGUE_LINK_CHECKS", True)
CATALOGUE_LINK_CHECK_TIMEOUT = env_int("CATALOGUE_LINK_CHECK_TIMEOUT", 10)
CATALOGUE_LINK_CHECK_INTERVAL_HOURS = env_int("CATALOGUE_LINK_CHECK_INTERVAL_HOURS", 24)
# Link checks refuse URLs on loopback, private and link-local addresses unless this is true (intranets).
CATALOGUE_LINK_CHECK_PRIVATE_ADDRESSES = env_bool("CATALOGUE_LINK_CHECK_PRIVATE_ADDRESSES", False)

# --- Air quality map ----------------------------------------------------------------------------------
# Base-map tiles under the air quality map, e.g. https://tile.example.org/{z}/{x}/{y}.png. Empty (the
# default): no tiles; the map draws the city's own outline and sites, and needs no network.
AIR_QUALITY_MAP_TILE_URL = env("AIR_QUALITY_MAP_TILE_URL")
AIR_QUALITY_MAP_TILE_ATTRIBUTION = env("AIR_QUALITY_MAP_TILE_ATTRIBUTION")

# --- Security ------------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Application logs carry no personal data: request paths can hold tokens, so access logs are left to
# the server and Django's own logger records errors without request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
