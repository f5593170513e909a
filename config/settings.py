"""Settings for Musikkhjemmekontoret, read from the environment (12-factor).

Every variable is documented in README.md. With DEBUG unset the site runs in
production mode and refuses to start without a SECRET_KEY.
"""

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production (DEBUG is off).")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def _int(name: str, default: int) -> int:
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


DEBUG = _bool("DEBUG", default=False)

# Commands that only read or write the project's own files never sign anything or serve a
# request, so a bare checkout (CI tooling, an image build) may run them without production
# secrets. Everything else — the web server, workers, migrate, check — refuses to start.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "collectstatic"}
_offline = (
    Path(sys.argv[0]).name in ("manage.py", "django-admin", "__main__.py")
    and sys.argv[1:2]
    and (sys.argv[1] in OFFLINE_COMMANDS)
)

SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "django-insecure-development-only-key" if DEBUG or _offline else _required("SECRET_KEY")
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS and not _offline:
    _required("ALLOWED_HOSTS")

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "accounts",
    "webinars",
    "courses",
    "registrations",
    "library",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
                "django.template.context_processors.i18n",
                "accounts.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL is set.
VAR_DIR.mkdir(exist_ok=True)
try:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes concurrent writers queue on the lock instead of failing
    # with "database is locked" when a read transaction upgrades to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"{env.str('TEST_DATABASE_NAME', default='test')}.sqlite3")}
else:
    if env.str("TEST_DATABASE_NAME", default=""):
        DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
    DATABASES["default"]["CONN_MAX_AGE"] = _int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if _bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Parameters bound by the server and statements prepared after their second use on a
        # connection: PostgreSQL parses and plans a repeated query once per connection instead
        # of every time. Halves PostgreSQL's CPU per registration (docs/performance.md). Turn
        # off behind a transaction-pooling PgBouncer, which cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 2})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves the cache and the Celery broker; without it, a file cache and
# kombu's filesystem transport under var/ keep the one-command run working.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL, not {REDIS_URL!r}.")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, with one Redis client per pool instead of one per call (see the module).
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, reading the signed-in user with a fixed statement (see the module).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# django-allauth: email is the login; verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "config.account_adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Musikkhjemmekontoret] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
ACCOUNT_RATE_LIMITS = {} if _bool("DISABLE_RATE_LIMITS", default=False) else None
if ACCOUNT_RATE_LIMITS is None:
    del ACCOUNT_RATE_LIMITS

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Language: Norwegian Bokmål first, English second.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Email. EMAIL_URL (smtp://user:pass@host:port, submission://… for STARTTLS,
# smtps://… for TLS) selects SMTP; unset, each message becomes an .eml file in var/mail/.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    try:
        vars().update(env.email_url_config(EMAIL_URL))
    except Exception as exc:
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from exc
    EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", default=10)
else:
    EMAIL_BACKEND = "config.mail.EmlFileBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ikke-svar@musikkhjemmekontoret.no")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PLATFORM_NAME = "Musikkhjemmekontoret"

# Celery: the database is the email queue (see docs/architecture.md); the broker only
# carries "deliver now" nudges and the beat sweeps.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"registrations.tasks.*": {"queue": "mail"}}
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TASK_PUBLISH_RETRY = False
if REDIS_URL:
    # A dead or silent Redis must fail a publish within seconds, never hang a request.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2}
else:
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "registrations.tasks.outbox_sweep", "schedule": 60.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Outbox tuning.
OUTBOX_BATCH_SIZE = _int("OUTBOX_BATCH_SIZE", default=200)
OUTBOX_LEASE_SECONDS = _int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", default=8)

# Rate limits for guest registrations (per hour).
GUEST_RATE_LIMIT_PER_IP = _int("GUEST_RATE_LIMIT_PER_IP", default=20)
GUEST_RATE_LIMIT_PER_EMAIL = _int("GUEST_RATE_LIMIT_PER_EMAIL", default=5)
# Reverse proxies in front of gunicorn (0: none, REMOTE_ADDR is the client). With n > 0 the
# rate limits count the client in X-Forwarded-For, n entries from the right.
TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", default=0)

# Only the benchmark scripts turn this on: it installs the bench app (bench/), whose URLs
# under /bench/ are the benchmarks' baselines and references.
BENCHMARK_ENDPOINTS = _bool("BENCHMARK_ENDPOINTS", default=False)
if BENCHMARK_ENDPOINTS:
    INSTALLED_APPS.append("bench")

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG and SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", default=31536000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LIBRARY_MAX_UPLOAD_BYTES = _int("LIBRARY_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Outbox timing the delivery tests shorten: first retry delay (doubling after each
# failed attempt) and how often beat sweeps the outbox (seconds).
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["sweep-outbox"]["schedule"] = env.float("OUTBOX_SWEEP_SECONDS", default=60.0)

# Sessions are read from the cache (Redis when REDIS_URL is set) and written through to
# the database, which saves a query on every signed-in request (docs/performance.md).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
