"""Settings, read from environment variables with safe defaults.

Every knob an operator may turn is an ``HRCOOP_*`` variable (or ``DATABASE_URL``); nothing here
needs editing to deploy. The defaults give a working single-machine platform on SQLite under ``./var/``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hrcoop.core.staticfiles import cache_for_a_year

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HRCOOP_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_choice(name: str, choices: dict[str, str], default: str) -> str:
    """The value ``choices`` maps the variable to; a value it does not know stops the start, naming them."""
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: one of {', '.join(sorted(choices))}")
    return choices[value]


def _secret_key() -> str:
    """HRCOOP_SECRET_KEY, or the contents of the file HRCOOP_SECRET_KEY_FILE names; else empty.

    There is no default: a fixed key in public code signs everyone's sessions for anyone who reads it.
    Without one, commands that sign nothing (init, imports, migrate) still work, the server refuses to
    start (``hrcoop.config.wsgi``) and ``check --deploy`` reports it. ``make run`` generates a key once
    and keeps it in ``var/secret-key``.
    """
    if key := os.environ.get("HRCOOP_SECRET_KEY", "").strip():
        return key
    if path := os.environ.get("HRCOOP_SECRET_KEY_FILE", "").strip():
        return Path(path).read_text(encoding="utf-8").strip()
    return ""


DEBUG = _env_bool("HRCOOP_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HRCOOP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HRCOOP_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("HRCOOP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The IATI 2.03 XSDs (e.g. ../shared/data/iati_schemas): the site offers IATI files only once validated.
IATI_SCHEMAS = os.environ.get("HRCOOP_IATI_SCHEMAS", "").strip()
# Whom a State writes to about requests for assistance (the funds' secretariat): shown on "How to request
# assistance". Empty: the page says to write through the State's Permanent Mission in Geneva.
ASSISTANCE_CONTACT = os.environ.get("HRCOOP_ASSISTANCE_CONTACT", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes (hrcoop.core.recovery)
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "django_prometheus",
    "hrcoop.core",
    "hrcoop.reference",
    "hrcoop.recommendations",
    "hrcoop.recommendations.classification",
    "hrcoop.recommendations.search",
    "hrcoop.mandates",
    "hrcoop.assistance",
    "hrcoop.funds",
    "hrcoop.tracking",
    "hrcoop.reports",
    "hrcoop.cooperation",
    "hrcoop.demo",
    "hrcoop.consultations",
    "hrcoop.portal",
]

MIDDLEWARE = [
    # First and last: Prometheus counts every request and its latency, whatever answers it.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers gzip-compressed when the browser accepts it; below WhiteNoise, whose files
    # are compressed once at collectstatic. BREACH: Django's CSRF token is masked anew in every
    # response and the middleware pads each response at random, so a page that reflects a query beside
    # the token leaks nothing by its compressed length (docs/deploy.md).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hrcoop.core.accounts.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised anywhere above into its answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "hrcoop.config.urls"
WSGI_APPLICATION = "hrcoop.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:desk"  # each person lands on what awaits them (portal/desk.py)

# --- Accounts: hashing, passwords, lockout -------------------------------------------------------------
# Argon2 (memory-hard) for new and changed passwords; the others still read hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins (the form, the admin and the API's Basic auth) per account and
# address; after HRCOOP_LOGIN_FAILURES in a row the pair is locked for HRCOOP_LOCKOUT_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("HRCOOP_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("HRCOOP_LOCKOUT_MINUTES", "30")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hrcoop.portal.accounts.locked_out"
AXES_VERBOSE = False
# The name authenticator apps show for the second factor (hrcoop.core.accounts).
OTP_TOTP_ISSUER = "hrcoop"
# An invitation's link (hrcoop.core.accounts.invite), like a password reset's, works once for 7 days.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hrcoop.core.context_processors.roles",
            ],
        },
    },
]

# --- HTTPS: one switch for everything that needs it -----------------------------------------------------
# Behind a TLS-terminating proxy (which sets X-Forwarded-Proto) or any HTTPS server: Secure cookies, HSTS
# for a year (subdomains included, preload-ready), the redirect of plain HTTP to HTTPS.
HTTPS = _env_bool("HRCOOP_HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/"]  # load balancers probe the servers over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("HRCOOP_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# --- Content Security Policy (django-csp), always on ---------------------------------------------------
# Scripts and style sheets come from our own static files only, never inline. Inline style *attributes*
# stay allowed: the SVG charts (matplotlib, the process diagram) draw with them, and a style attribute
# cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Database -------------------------------------------------------------------------------------
# DATABASE_URL selects the engine: sqlite:///path/to/file.sqlite3 or postgres://user@host:port/name.
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'hrcoop.sqlite3'}"
# Connections are kept for a minute and checked before reuse: opening one per request (a new server
# process on PostgreSQL) capped the API at about 120 requests/s on this 2-core machine.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("HRCOOP_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN so that two
    # writers queue instead of failing half-way with "database is locked". A 64 MB page cache keeps
    # the registry's indexes in memory during imports (15 % less CPU, measured by bench/import_upr_info.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    # The registry's working set fits in memory: PostgreSQL's default random_page_cost (4, for spinning
    # disks) made the planner read every search document instead of using the GIN index (45-70 ms
    # against 12 ms for a common word at 41k records; bench/search.py). JIT compilation pays off for
    # long analytic queries, not for a web request: off, the p95 of bench/search.py at a million
    # records went from 244 to 226 ms (its cost estimates crossed the JIT threshold, compiling 5-20 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1 -c jit=off"
# A read replica (HRCOOP_REPLICA_URL, e.g. PostgreSQL streaming replication): the pages and API answers
# that only read, and are not right after the visitor's own write, read from it (core/replica.py).
if replica_url := os.environ.get("HRCOOP_REPLICA_URL", "").strip():
    DATABASES["replica"] = {
        **dj_database_url.parse(
            replica_url,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["hrcoop.core.replica.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"),
        "hrcoop.core.replica.ReplicaMiddleware",
    )
# How long after a visitor's own write their reads stay on the primary (the replica's lag, with margin).
HRCOOP_REPLICA_LAG_SECONDS = int(os.environ.get("HRCOOP_REPLICA_LAG_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation: the six official UN languages -----------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Where Django's number formats leave large numbers ungrouped (Arabic, Chinese): config/formats/.
FORMAT_MODULE_PATH = ["hrcoop.config.formats"]
USE_I18N = True
# Numbers and dates follow the page's language; where Django's formats differ from the CLDR or UN
# practice, hrcoop's own win (config/formats/, docs/languages.md).
FORMAT_MODULE_PATH = ["hrcoop.config.formats"]
# Times are stored in UTC; pages, exports and the API show them in the zone of the office that runs the
# funds (Geneva by default), where the working-day clocks of the requests run too.
TIME_ZONE = os.environ.get("HRCOOP_TIME_ZONE", "Europe/Zurich")
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("HRCOOP_MEDIA_ROOT", VAR_DIR / "media"))
# collectstatic (run by ``hrcoop init``) writes fingerprinted, compressed copies into STATIC_ROOT, which
# WhiteNoise serves with a year's lifetime (core/staticfiles.py). Only under HRCOOP_DEBUG does it also
# serve the apps' folders directly (WhiteNoise's default): in production those copies would win over the
# compressed ones, unfingerprinted, with a 60-second lifetime.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "hrcoop.core.staticfiles.IncrementalCompressedManifestStaticFilesStorage"},
}
WHITENOISE_ADD_HEADERS_FUNCTION = cache_for_a_year

# --- Search --------------------------------------------------------------------------------------------
# The nearest-neighbour index over the sentence vectors: a file the task worker writes and every process
# memory-maps (docs/search.md). With several application servers, a folder they all mount.
SEARCH_VECTOR_INDEX_DIR = Path(os.environ.get("HRCOOP_VECTOR_INDEX_DIR", VAR_DIR / "vector-index")).resolve()

# --- E-mail: the console backend unless an operator configures SMTP ------------------------------------
EMAIL_BACKEND = os.environ.get("HRCOOP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("HRCOOP_FROM_EMAIL", "hrcoop@localhost")
# Where people write to the secretariat, e.g. to ask for an account (the "getting an account" page).
CONTACT_EMAIL = os.environ.get("HRCOOP_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)

# --- Background tasks ----------------------------------------------------------------------------------
# The database backend needs no extra server; "immediate" runs tasks in-process (tests, small sites);
# "rq" queues them in Redis (HRCOOP_REDIS_URL) for any number of `hrcoop rqworker` processes, on any
# machine (docs/deploy.md).
TASK_BACKEND = _env_choice(
    "HRCOOP_TASK_BACKEND",
    {
        "database": "django_tasks_db.DatabaseBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        "rq": "django_tasks_rq.RQBackend",
    },
    "database",
)
TASKS = {"default": {"BACKEND": TASK_BACKEND, "QUEUES": ["default"]}}
REDIS_URL = os.environ.get("HRCOOP_REDIS_URL", "redis://127.0.0.1:6379/0")
# A task may run for an hour (a report over the whole registry, a full reindex) before RQ stops it.
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# --- REST API ------------------------------------------------------------------------------------------
# Public API answers are cached by data version (core/api.py, ConditionalMixin): never stale, so the only
# setting is how long an unused answer is kept. Per process by default; with several servers,
# HRCOOP_CACHE_URL names a Redis cache that every worker of every server shares (docs/deploy.md).
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
}
if cache_url := os.environ.get("HRCOOP_CACHE_URL", "").strip():
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": cache_url,
        "KEY_PREFIX": "hrcoop",
    }
HRCOOP_API_CACHE_SECONDS = int(os.environ.get("HRCOOP_API_CACHE_SECONDS", "600"))
# Rows read or written per statement by work over many records (core/batches.py): reindexing, vectors,
# exports. SQLite refuses a statement with more parameters than its variable limit.
HRCOOP_BATCH_SIZE = int(os.environ.get("HRCOOP_BATCH_SIZE", "1000"))
# Large exports (recommendations/exports.py) an anonymous address may ask for: "N/minute|hour|day".
HRCOOP_EXPORT_RATE = os.environ.get("HRCOOP_EXPORT_RATE", "10/hour")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hrcoop.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "hrcoop.core.accounts.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "hrcoop.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "hrcoop.core.api.CursorPagination",
    "PAGE_SIZE": 50,
    # Proxies in front of the server: 0 reads the client's address from the connection; behind one
    # proxy, set 1 so that throttles count the client (from X-Forwarded-For), not the proxy.
    "NUM_PROXIES": int(os.environ.get("HRCOOP_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hrcoop API",
    "DESCRIPTION": (
        "Open data and workflows of the international cooperation machinery in the field of human rights."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API docs page loads Swagger UI from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models call a choice field "kind"; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ResolutionKindEnum": "hrcoop.mandates.models.Resolution.Kind",
        "LabelKindEnum": "hrcoop.recommendations.models.LabelKind",
        "MechanismKindEnum": "hrcoop.reference.models.Mechanism.Kind",
        "DonorKindEnum": "hrcoop.funds.models.Donor.Kind",
        "PostingKindEnum": "hrcoop.funds.models.Posting.Kind",
        "InstitutionKindEnum": "hrcoop.tracking.models.Institution.Kind",
        "OfferKindEnum": "hrcoop.cooperation.models.OfferKind",
        "DialogueKindEnum": "hrcoop.cooperation.models.Dialogue.Kind",
    },
}

# Logs go to standard error, as text for a person or, with HRCOOP_LOG_FORMAT=json, one JSON object per
# line for a log collector (python-json-logger). gunicorn's own logs follow (config/gunicorn.py).
LOG_FORMATTERS = {
    "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}
_log_format = _env_choice("HRCOOP_LOG_FORMAT", {"text": "text", "json": "json"}, "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"default": LOG_FORMATTERS[_log_format]},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HRCOOP_LOG_LEVEL", "WARNING")},
}
# Prometheus metrics at /metrics, for a scraper that sends "Authorization: Bearer <HRCOOP_METRICS_TOKEN>";
# without a token the page does not exist. Several worker processes: docs/deploy.md (multiprocess mode).
HRCOOP_METRICS_TOKEN = os.environ.get("HRCOOP_METRICS_TOKEN", "").strip()
