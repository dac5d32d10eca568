"""e-report settings: one module, every value from the environment (12-factor).

With nothing set but DEBUG, the site runs on an embedded default: SQLite, a local-memory
cache and Celery tasks executed in-process. Production sets DATABASE_URL (PostgreSQL),
REDIS_URL, CELERY_BROKER_URL, SECRET_KEY and ALLOWED_HOSTS; with DEBUG off the site refuses
to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import django.conf.locale
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file that NAME_FILE points at (Docker/K8s secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("TESTING", default=False)

# --- Secrets and hosts: refuse to start insecurely -------------------------------------
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production-0000"  # noqa: S105
SECRET_KEY = secret("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
# Retired keys, still accepted for signatures made before a rotation (see docs).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [],
)


def _check_production_secrets() -> None:
    if SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is the development key. With DEBUG off, set SECRET_KEY (or "
            "SECRET_KEY_FILE) to a random value of at least 50 characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or too weak. With DEBUG off, set SECRET_KEY (or "
            "SECRET_KEY_FILE) to a random value of at least 50 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is empty. With DEBUG off, set ALLOWED_HOSTS to the site's host "
            "names, comma-separated (e.g. ALLOWED_HOSTS=report.example.gov)."
        )


if not DEBUG:
    _check_production_secrets()

# --- Applications ----------------------------------------------------------------------
INSTALLED_APPS = [
    "ereport.apps.EReportAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "formtools",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "screening",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ereport.middleware.SecurityHeadersMiddleware",
    "ereport.middleware.ConstantCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads a parameter (and PostgreSQL chokes on a NUL in it).
    "ereport.middleware.RefuseNulMiddleware",
    # After messages (it tells a timed-out clerk why) and OTP (it checks the factor).
    "ereport.middleware.StaffSessionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ereport.urls"
WSGI_APPLICATION = "ereport.wsgi.application"

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
                "screening.context_processors.agency",
                # Replaces Django's built-in csrf processor: the same tokens, masked in
                # one read (ereport/csrf.py).
                "ereport.csrf.csrf",
            ],
            "libraries": {"uswds": "ereport.uswds_tags", "fragments": "ereport.fragments"},
        },
    }
]
if not DEBUG:
    # Parse each template once per process, not once per request.
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

CRISPY_TEMPLATE_PACK = "uswds"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("uswds",)
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Data ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers take the lock when their transaction starts: two at once wait for each
    # other instead of one failing with "database is locked" (the embedded default).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check that needs no round trip (ereport/postgresql).
    DATABASES["default"]["ENGINE"] = "ereport.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Drop a connection that died while idle (a PostgreSQL restart) instead of failing once.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if test_database_name := env.str("TEST_DATABASE_NAME", default=""):
    # Lets two test runs share one PostgreSQL server (e.g. a developer and CI).
    DATABASES["default"]["TEST"] = {"NAME": test_database_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ereport.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="ereport"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions hold a resident's unfinished report: they live in the database (read through
# the cache) so that a cache restart never loses anybody's work.
SESSION_ENGINE = "ereport.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The language links set this cookie: Lax keeps another site's page from setting it.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Private files (attachments, case copies): a directory no URL reaches.
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Refuse absurd request bodies early (the upload size rules give their own messages).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Static files: USWDS from npm, served by whitenoise from our own origin ------------
STATIC_URL = "/static/"
# Development and tests serve straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]

# --- Celery ----------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# No broker configured: run tasks in-process (the embedded default for `make run`).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Longer than any task's hard limit, so an unacknowledged task is never redelivered while
# it is still running (the three places kombu reads it).
_VISIBILITY_TIMEOUT = 3600
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": _VISIBILITY_TIMEOUT}
CELERY_VISIBILITY_TIMEOUT = _VISIBILITY_TIMEOUT
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup closes the database connection before and after every task
# unless this is set; ereport.celery gives tasks Django's request lifecycle instead
# (CONN_MAX_AGE, health checks), and the fixup renews a connection every 1,000 tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "America/Chicago"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The outbox sweeper: re-queues case copies the broker never got (down at commit time)
# or a dead worker never finished.
CELERY_BEAT_SCHEDULE = {
    "sweep-case-copies": {"task": "reports.sweep_case_copies", "schedule": 60.0},
    # Emails owed to residents that no worker took (the broker was down, say).
    "sweep-resident-emails": {"task": "reports.sweep_resident_emails", "schedule": 60.0},
    "purge-expired": {"task": "reports.purge_expired", "schedule": 24 * 60 * 60.0},
    "drafts-and-follow-ups": {"task": "reports.drafts_and_follow_ups", "schedule": 60 * 60.0},
}

# --- Email -----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="e-report <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in emails point (the site's public address).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Language and time -----------------------------------------------------------------
LANGUAGE_CODE = "en"
# Minneapolis 311 serves English, Spanish, Somali and Hmong. Django knows no Somali or
# Hmong locale, so we describe them ourselves.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("so", _("Somali")),
    ("hmn", _("Hmong")),
]
django.conf.locale.LANG_INFO.update(
    {
        "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
        "hmn": {"bidi": False, "code": "hmn", "name": "Hmong", "name_local": "Hmoob"},
    }
)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_TZ = True

# --- Passwords (staff) -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's similarity check lets "supervisor-supervisor" through for "supervisor".
    {"NAME": "ereport.passwords.NoUsernameInPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "admin:index"

# Staff sign-in: django-axes locks an account after 5 failures in a row for 30 minutes
# (CJIS AC-7) and, separately, an IP address that keeps failing, so that anonymous
# attackers cannot keep every clerk locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Failures count per account, and per account from one address (CJIS AC-7 counts
# attempts per user). Never per address alone: behind a shared proxy or NAT, one
# address would lock every member of staff out at once.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
# How many trusted proxies (load balancer, TLS terminator) stand in front of the site.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_VERBOSE = False

# Staff sessions: locked after 30 minutes idle, ended after 12 hours (CJIS AC-11/AC-12).
STAFF_IDLE_TIMEOUT_SECONDS = env.int("STAFF_IDLE_TIMEOUT_SECONDS", default=30 * 60)
STAFF_MAX_SESSION_SECONDS = env.int("STAFF_MAX_SESSION_SECONDS", default=12 * 60 * 60)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="e-report")

# --- Security headers ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the thumbnails we make ourselves (never a resident's URL).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preload is a commitment (removal takes months): see README, "Deploying".
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this host, on every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- The agency's own words (defaults: Minneapolis, from the source document) ----------
AGENCY_NAME = env.str("AGENCY_NAME", default="Minneapolis Police Department")
# The agency's ORI (the FBI's 9-character agency identifier: state code, then 7 letters or
# digits), required for the NIBRS export. A malformed one would put every document in
# the wrong agency's name: refuse to start rather than send those.
AGENCY_ORI = env.str("AGENCY_ORI", default="").strip().upper()
if AGENCY_ORI and not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{7}", AGENCY_ORI):
    raise ImproperlyConfigured(
        f"AGENCY_ORI={AGENCY_ORI!r} is not an ORI: 9 characters, the state's two letters "
        "then 7 letters or digits (e.g. MN0271100)."
    )
CITY_NAME = env.str("CITY_NAME", default="Minneapolis")
PHONE_311 = env.str("PHONE_311", default="311")
# 311 only works inside the city; callers from elsewhere need the full number.
PHONE_311_FULL = env.str("PHONE_311_FULL", default="612-673-3000")
PHONE_EMERGENCY = "911"

# --- Screening and reports -------------------------------------------------------------
SCREENING_DECISION_TTL_SECONDS = env.int("SCREENING_DECISION_TTL_SECONDS", default=2 * 60 * 60)
CASE_NUMBER_PREFIX = env.str("CASE_NUMBER_PREFIX", default="MP")
# Rate limits: (requests, seconds), per client address unless the name says otherwise.
# Many residents may share one address (a library, a shelter, a phone carrier's NAT):
# filing is limited per browser session too, so the per-address limit can be generous.
RATELIMITS = {
    "screening": (env.int("RATELIMIT_SCREENING_PER_MINUTE", default=60), 60),
    "wizard": (env.int("RATELIMIT_WIZARD_PER_MINUTE", default=120), 60),
    "submit": (env.int("RATELIMIT_SUBMIT_PER_HOUR", default=60), 3600),
    "submit_session": (env.int("RATELIMIT_SUBMIT_PER_SESSION_PER_HOUR", default=10), 3600),
    # The "Stay on this page" button: a few a minute at most for one person.
    "keepalive": (env.int("RATELIMIT_KEEPALIVE_PER_MINUTE", default=20), 60),
    # Records-system calls refused for a missing or wrong key, per address: each one is
    # looked up and audited, so a flood must not fill the audit log at wire speed.
    "rms_refused": (env.int("RATELIMIT_RMS_REFUSED_PER_MINUTE", default=30), 60),
    "status": (env.int("RATELIMIT_STATUS_PER_MINUTE", default=10), 60),
    # Per tracking number, from any address: a phone number (the key of a report filed
    # without email) is easier to guess than an email address.
    "status_number": (env.int("RATELIMIT_STATUS_PER_NUMBER_PER_HOUR", default=20), 3600),
    "verify": (env.int("RATELIMIT_VERIFY_PER_MINUTE", default=10), 60),
    "staff_login": (env.int("RATELIMIT_LOGIN_PER_MINUTE", default=20), 60),
    "resume": (env.int("RATELIMIT_RESUME_PER_MINUTE", default=10), 60),
    "resume_code": (env.int("RATELIMIT_RESUME_PER_CODE_PER_HOUR", default=10), 3600),
}
# Nobody reads and fills a whole report faster than this; a script posting it does.
REPORT_MIN_FILL_SECONDS = env.float("REPORT_MIN_FILL_SECONDS", default=3.0)
RETENTION_REJECTED_DAYS = env.int("RETENTION_REJECTED_DAYS", default=365)
SCREENING_DETAIL_DAYS = env.int("SCREENING_DETAIL_DAYS", default=90)
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=30)
INFO_REQUEST_DAYS = env.int("INFO_REQUEST_DAYS", default=15)
INFO_REMINDER_DAYS = env.int("INFO_REMINDER_DAYS", default=7)
FOLLOW_UP_DAYS = env.int("FOLLOW_UP_DAYS", default=7)
CRISIS_LINE_NAME = env.str("CRISIS_LINE_NAME", default="988 Suicide & Crisis Lifeline")
CRISIS_LINE_NUMBER = env.str("CRISIS_LINE_NUMBER", default="988")
# Where "Leave this site quickly" goes: a neutral page.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.weather.gov/")
REVIEW_TARGET_DAYS = env.int("REVIEW_TARGET_DAYS", default=2)
MIN_REPORTER_AGE = env.int("MIN_REPORTER_AGE", default=18)
REPORT_MAX_AGE_DAYS = env.int("REPORT_MAX_AGE_DAYS", default=3 * 365)

# --- The records-system API (reports.rms) -----------------------------------------------
# Only API keys open it (never a staff session); answers are JSON, errors included.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["reports.rms.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["reports.rms.auth.HasApiKey"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["reports.rms.auth.ApiKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env.str("RMS_API_RATE", default="120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "e-report records system API",
    "DESCRIPTION": "Approved reports for the agency's records management system (RMS).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/rms/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema is for key holders, like the API it describes.
    "SERVE_AUTHENTICATION": ["reports.rms.auth.ApiKeyAuthentication"],
    "SERVE_PERMISSIONS": ["reports.rms.auth.HasApiKey"],
}

# --- Logging ---------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "ereport.logging.RedactPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Celery installs its own handlers; route them through ours (and the filter), at
        # the level the operator chose (INFO logs every task received and done).
        "celery": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
