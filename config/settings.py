"""Settings for Musikkhjemmekontoret, read from the environment (12-factor).

Every variable is documented in README.md and read through config/env.py, which stops
start-up with the variable's name on a malformed value. With DEBUG unset the site runs in
production mode and refuses to start without a SECRET_KEY.
"""

import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_float, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# A .env file beside manage.py fills in what the environment leaves unset.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
_IN_PRODUCTION = "in production (DEBUG is off)"

DEBUG = env_bool("DEBUG", default=False)

# Commands that only read or write the project's own files never sign anything or serve a
# request, so a bare checkout (CI tooling, an image build) may run them without production
# secrets. Everything else — the web server, workers, migrate, check — refuses to start.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "collectstatic"}
_offline = (
    Path(sys.argv[0]).name in ("manage.py", "django-admin", "__main__.py")
    and sys.argv[1:2]
    and (sys.argv[1] in OFFLINE_COMMANDS)
)

SECRET_KEY = env_str("SECRET_KEY") or (
    "django-insecure-development-only-key" if DEBUG or _offline else env_required("SECRET_KEY", _IN_PRODUCTION)
)
# Earlier keys, still accepted for what they signed or encrypted (sessions, allauth's links, the
# second factors' secrets: accounts/mfa.py) while SECRET_KEY is being rotated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS and not _offline:
    env_required("ALLOWED_HOSTS", _IN_PRODUCTION)

# Every email link and the site's name in account emails come from SITE_URL: production must
# set it, like SECRET_KEY (a silent default would put 127.0.0.1 into every email).
SITE_URL = (
    env_str("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG or _offline else env_required("SITE_URL", _IN_PRODUCTION))
).rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# The project's own apps, lowest layer first (docs/architecture.md, "Layers"). The import-graph
# test reads its packages from here; tests/test_platform.py checks it against the apps on disk.
PROJECT_APPS = [
    "accounts",
    "webinars",
    "courses",
    "registrations",
    "library",
    "outcomes",
    "insight",
    "sharing",
    "following",
    "api",
]

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
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # CORS and HEAD for /api/ only (docs/api.md).
    "api.middleware.ApiCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.NoStoreForSignedInMiddleware",
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
_database_url = env_str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"].get("ENGINE") not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    # Named by its scheme only: the rest of the URL may hold a password.
    _scheme = _database_url.split(":", 1)[0]
    raise ImproperlyConfigured(f"DATABASE_URL must be a sqlite:// or postgres:// URL, not {_scheme}:….")
# Read whatever the database: a bad value stops start-up even where it does not apply.
_test_database_name = env_str("TEST_DATABASE_NAME")
_conn_max_age = env_int("CONN_MAX_AGE", default=60)
_prepared_statements = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes concurrent writers queue on the lock instead of failing
    # with "database is locked" when a read transaction upgrades to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"{_test_database_name or 'test'}.sqlite3")}
else:
    if _test_database_name:
        DATABASES["default"]["TEST"] = {"NAME": _test_database_name}
    DATABASES["default"]["CONN_MAX_AGE"] = _conn_max_age
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if _prepared_statements:
        # Parameters bound by the server and statements prepared after their second use on a
        # connection: PostgreSQL parses and plans a repeated query once per connection instead
        # of every time. Halves PostgreSQL's CPU per registration (docs/performance.md). Turn
        # off behind a transaction-pooling PgBouncer, which cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 2})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves the cache and the Celery broker; without it, a file cache and
# kombu's filesystem transport under var/ keep the one-command run working.
REDIS_URL = env_str("REDIS_URL")
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
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "login": "accounts.forms.LoginForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Musikkhjemmekontoret: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# allauth's own rate limits (failed logins per address and per account, reset emails, …);
# the admin signs in through the same login (config/urls.py), so they cover it too. Only False
# turns them off: allauth adds its defaults to an empty dict.
if env_bool("DISABLE_RATE_LIMITS", default=False):
    ACCOUNT_RATE_LIMITS = False
# Two-factor authentication (allauth.mfa) that anyone, staff above all, can turn on at /konto/2fa/:
# an authenticator app (TOTP) with recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Musikkhjemmekontoret"
MFA_ADAPTER = "accounts.mfa.MFAAdapter"  # encrypts the secrets it stores

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
MEDIA_ROOT = env_str("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Uploaded files on S3-compatible object storage (MinIO, AWS S3, …) when S3_BUCKET is set, so
# every web machine reads what another stored; on local disk under MEDIA_ROOT otherwise. The
# objects stay private (no ACL is set, so they keep the bucket's private default): documents are
# downloaded only through the library's view, which checks who may see them and streams the
# object from the bucket (docs/deployment.md). Read whatever the storage, so a bad value stops
# start-up even where it does not apply.
S3_BUCKET = env_str("S3_BUCKET")
_s3_endpoint_url = env_str("S3_ENDPOINT_URL")
_s3_access_key_id = env_str("S3_ACCESS_KEY_ID")
_s3_secret_access_key = env_str("S3_SECRET_ACCESS_KEY")
_s3_region = env_str("S3_REGION")
_s3_location = env_str("S3_LOCATION").strip("/")
if _s3_endpoint_url and not _s3_endpoint_url.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"S3_ENDPOINT_URL must start with http:// or https://, not {_s3_endpoint_url!r}.")
if bool(_s3_access_key_id) != bool(_s3_secret_access_key):
    raise ImproperlyConfigured("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or both left unset).")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # Unset: boto3's own chain (AWS_* variables, the machine's role) finds the keys.
            "access_key": _s3_access_key_id or None,
            "secret_key": _s3_secret_access_key or None,
            "endpoint_url": _s3_endpoint_url or None,
            "region_name": _s3_region or None,
            "location": _s3_location,
            # A self-hosted server (MinIO) answers at its own address, not at bucket.host.
            "addressing_style": "path" if _s3_endpoint_url else None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            # A download is read from the bucket into a temporary file: in memory up to 1 MiB,
            # on disk beyond (the default, 0, would hold a whole 20 MiB document in memory).
            "max_memory_size": 1024 * 1024,
        },
    }

# Email. EMAIL_URL (smtp://user:pass@host:port, submission://… for STARTTLS,
# smtps://… for TLS) selects SMTP; unset, each message becomes an .eml file in var/mail/.
EMAIL_URL = env_str("EMAIL_URL")
_email_timeout = env_int("EMAIL_TIMEOUT", default=10, minimum=1)
if EMAIL_URL:
    try:
        vars().update(environ.Env.email_url_config(EMAIL_URL))
    except Exception as exc:
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from exc
    EMAIL_TIMEOUT = _email_timeout
else:
    EMAIL_BACKEND = "config.mail.EmlFileBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="ikke-svar@musikkhjemmekontoret.no")
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
# Worker processes when `celery worker` is started without --concurrency (the image's worker).
CELERY_WORKER_CONCURRENCY = env_int("WORKER_CONCURRENCY", default=2, minimum=1)
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

# Outbox tuning. The first retry waits OUTBOX_RETRY_BASE_SECONDS, doubling after each failed
# attempt; beat sweeps the outbox every OUTBOX_SWEEP_SECONDS (the delivery tests shorten both).
# An account email (its verification or password-reset link) waits in the outbox sealed and is
# sent only within this many seconds; after that it is skipped and the person asks again. A
# day covers every retry of the backoff below.
ACCOUNT_EMAIL_MAX_AGE = 24 * 3600
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", default=200, minimum=1)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", default=300, minimum=1)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", default=8, minimum=1)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", default=60, minimum=1)
CELERY_BEAT_SCHEDULE["sweep-outbox"]["schedule"] = env_float("OUTBOX_SWEEP_SECONDS", default=60.0, minimum=1)

# Retention (docs/privacy.md): a beat task forgets on time. Registrations are anonymised this
# many days after their offering's last session ended (attendance stays as counts); outbox rows
# lose their address and context this many days after they were sent or skipped, failed ones
# after the second; a guest's registration never confirmed is deleted this many days after its
# link expired; an account whose address was never verified is deleted after this many days.
RETENTION_REGISTRATION_DAYS = env_int("RETENTION_REGISTRATION_DAYS", default=365, minimum=1)
RETENTION_OUTBOX_SENT_DAYS = env_int("RETENTION_OUTBOX_SENT_DAYS", default=30, minimum=1)
RETENTION_OUTBOX_FAILED_DAYS = env_int("RETENTION_OUTBOX_FAILED_DAYS", default=90, minimum=1)
RETENTION_PENDING_REGISTRATION_DAYS = env_int("RETENTION_PENDING_REGISTRATION_DAYS", default=7, minimum=0)
RETENTION_UNVERIFIED_ACCOUNT_DAYS = env_int("RETENTION_UNVERIFIED_ACCOUNT_DAYS", default=7, minimum=1)
# The platform's records of its own actions (docs/privacy.md, "Records of what the platform
# did"). A PrivacyRecord (counts only) is the office's proof that an erasure or a retention run
# happened: three years, Norway's general limitation period, covers a complaint to the Data
# Protection Authority or a claim about how a request was handled. An ExportRecord names the
# organiser who took a CSV out: one year, as long as the registrations it copied are kept by
# default, so a leaked list can be traced for as long as its rows exist here.
RETENTION_PRIVACY_RECORDS_DAYS = env_int("RETENTION_PRIVACY_RECORDS_DAYS", default=3 * 365, minimum=1)
RETENTION_EXPORT_RECORDS_DAYS = env_int("RETENTION_EXPORT_RECORDS_DAYS", default=365, minimum=1)
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "registrations.tasks.retention_run",
    "schedule": env_float("RETENTION_RUN_SECONDS", default=3600.0, minimum=60),
}

# The weekly digest of what people follow (docs/following.md): beat runs it on DIGEST_WEEKDAY at
# DIGEST_HOUR, Norwegian time, writing DIGEST_BATCH_SIZE followers' digests per transaction.
DIGEST_WEEKDAY = env_choice("DIGEST_WEEKDAY", "mon", ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
DIGEST_HOUR = env_int("DIGEST_HOUR", default=7)
if DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"DIGEST_HOUR must be an hour from 0 to 23, not {DIGEST_HOUR}.")
DIGEST_BATCH_SIZE = env_int("DIGEST_BATCH_SIZE", default=500, minimum=1)
CELERY_BEAT_SCHEDULE["following-digests"] = {
    "task": "following.tasks.digests_run",
    "schedule": crontab(minute=0, hour=DIGEST_HOUR, day_of_week=DIGEST_WEEKDAY),
}
CELERY_BEAT_SCHEDULE["following-retention"] = {
    "task": "following.tasks.followers_retention",
    "schedule": CELERY_BEAT_SCHEDULE["privacy-retention"]["schedule"],
}

# Rate limits for guest registrations (per hour).
GUEST_RATE_LIMIT_PER_IP = env_int("GUEST_RATE_LIMIT_PER_IP", default=20)
GUEST_RATE_LIMIT_PER_EMAIL = env_int("GUEST_RATE_LIMIT_PER_EMAIL", default=5)
# Reverse proxies in front of gunicorn (0: none, REMOTE_ADDR is the client). With n > 0 the
# rate limits count the client in X-Forwarded-For, n entries from the right.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)

# Only the benchmark scripts turn this on: it installs the bench app (bench/), whose URLs
# under /bench/ are the benchmarks' baselines and references.
BENCHMARK_ENDPOINTS = env_bool("BENCHMARK_ENDPOINTS", default=False)
if BENCHMARK_ENDPOINTS:
    INSTALLED_APPS.append("bench")

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG and SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# What a page may load (config/middleware.py). Scripts and styles only from our own files: no
# inline script, style attribute or event handler anywhere (tests/test_csp_browser.py fails
# on any violation). Images may be data: URIs (the favicon, allauth's QR code for an
# authenticator app); the only frames are the library's video players, loaded on request.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", default=[])

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LIBRARY_MAX_UPLOAD_BYTES = env_int("LIBRARY_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024, minimum=1)

# Every line goes through one handler that masks the secret tokens of URL paths (join, manage,
# opt-in, feed and reset links: config/log_masking.py); runserver's request lines too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "config.log_masking.MaskSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]}},
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
}

# Sessions are read from the cache (Redis when REDIS_URL is set) and written through to
# the database, which saves a query on every signed-in request (docs/performance.md).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
