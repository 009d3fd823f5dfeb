"""socialgov settings: one module, driven by the environment.

Nothing configured gives the embedded default (SQLite under var/, Celery on kombu's
filesystem transport under var/broker/). Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.storage import stores

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOCIALGOV_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "members",
    "posts",
    "moderation",
    "retention",
    "oversight",
    "vetting",
    "api",
    "socialgov",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The website's cached pages, answered before sessions and authentication (a reload storm during an emergency).
    "posts.page_cache.FrontPageCacheMiddleware",
    "core.middleware.ClientAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.AbsoluteSessionTimeoutMiddleware",
    "members.middleware.TwoFactorRequiredMiddleware",
    "core.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialgov.urls"
WSGI_APPLICATION = "socialgov.wsgi.application"
ASGI_APPLICATION = "socialgov.asgi.application"

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
                "csp.context_processors.nonce",
                "socialgov.context_processors.navigation",
            ],
        },
    },
]

# Database -------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'socialgov.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_socialgov.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured, otherwise files under var/ (CACHE_DIR); either is shared by every process. While
# Redis cannot be reached, each process serves the cache from its own memory (core.cache); the short timeouts keep a
# page from waiting on it.
# CACHE_KEY_PREFIX keeps apart deployments (or test runs) that share one Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # The embedded default: a cache in files under var/, shared by the web server, the worker and beat, so what a
    # worker changes (a post published or removed clears the site's change stamp) every process sees at once.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
        }
    }

# Accounts and security ------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Idle timeout: the cookie lives 30 minutes and every request renews it.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout (CJIS 5.5.3): five failed logins lock the account (and, separately, the address) for LOCKOUT_MINUTES;
# the member and the Chief/designee are e-mailed, and the Chief/designee may unlock earlier.
LOCKOUT_MINUTES = env_int("LOCKOUT_MINUTES", 30)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES)
# Tries during a lock do not extend it: nobody keeps an account (the Chief's) locked for good by retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor: required of whoever can reach records or exports, channel credentials, the confidential-terms
# registry, people and authorizations, or the admin (members.permissions.requires_two_factor);
# OTP_REQUIRED_FOR_ALL=1 requires it of everyone. A first device is set up with an enrolment code the Chief,
# the designee or an administrator issues; it expires after ENROLMENT_CODE_HOURS. Exports' downloads and hold
# releases ask for the second factor again when the last one is older than STEP_UP_MINUTES.
ENROLMENT_CODE_HOURS = env_int("ENROLMENT_CODE_HOURS", 72)
STEP_UP_MINUTES = env_int("STEP_UP_MINUTES", 15)
OTP_REQUIRED_FOR_ALL = env_bool("OTP_REQUIRED_FOR_ALL", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "socialgov")

# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# 385.3 approved equipment: posting only from these networks (CIDR list; empty = anywhere).
POSTING_NETWORKS = env_list("POSTING_NETWORKS")
REMOTE_POSTING_MAX_DAYS = env_int("REMOTE_POSTING_MAX_DAYS", 30)

# HTTPS hardening: on unless DEBUG; a deployment behind TLS keeps the defaults.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Static files (served by whitenoise; nothing from a CDN) ---------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Stored files (core/storage.py): four stores, each a folder on this machine by default, or S3 (django-storages)
# when S3_BUCKET is set, so any number of web and worker machines see the same files.
#   default      attachments, captions, post requests' files, signed permissions, the website's image copies
#   records      captured media and disposition certificates: write-once (S3 Object Lock) until retention ends
#   exports      export packages, built in a worker's temporary folder and uploaded in parts
#   checkpoints  signed audit checkpoints: write-once
# Credentials come from the usual AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the
# machine's role); they are never settings here, so they never reach a log or an error page.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
# Object Lock is set when a bucket is created, so records and checkpoints live in a bucket of their own.
S3_RECORDS_BUCKET = os.environ.get("S3_RECORDS_BUCKET", f"{S3_BUCKET}-records" if S3_BUCKET else "")
S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "") or None
S3_REGION = os.environ.get("S3_REGION", "us-east-1")
# Downloads of exports are sent from S3 by a presigned address this many seconds long (the audit event is written
# before the redirect); 0 streams them through the web process instead.
S3_PRESIGNED_SECONDS = env_int("S3_PRESIGNED_SECONDS", 300)
# Captured media is locked until its record's retention ends: COMPLIANCE (nobody, not even the account's root,
# can delete or shorten it) or GOVERNANCE (a person with s3:BypassGovernanceRetention can).
RECORDS_LOCK_MODE = os.environ.get("RECORDS_LOCK_MODE", "COMPLIANCE").upper()
if RECORDS_LOCK_MODE not in {"COMPLIANCE", "GOVERNANCE"}:
    raise ImproperlyConfigured(f"RECORDS_LOCK_MODE must be COMPLIANCE or GOVERNANCE, not {RECORDS_LOCK_MODE!r}.")
# Media is written locked for this many seconds (30 days) until its record is filed, and re-locked as long again
# while a record's retention end is not yet known (its trigger has not happened); the daily sweeper extends a lock
# before it runs out. Once the end is known the lock runs to it.
RECORDS_LOCK_ROLLING_SECONDS = env_int("RECORDS_LOCK_ROLLING_SECONDS", 30 * 24 * 3600)
# Audit checkpoints are locked this long (and never overwritten in any case).
AUDIT_CHECKPOINT_LOCK_DAYS = env_int("AUDIT_CHECKPOINT_LOCK_DAYS", 3650)


STORAGES = {
    **stores(
        bucket=S3_BUCKET,
        records_bucket=S3_RECORDS_BUCKET,
        endpoint_url=S3_ENDPOINT_URL,
        region=S3_REGION,
        presigned_seconds=S3_PRESIGNED_SECONDS,
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# The department, as named in export packages (BagIt Source-Organization) and certificates.
DEPARTMENT_NAME = os.environ.get("DEPARTMENT_NAME", "Police Department")
# Screening (moderation/screening): the department's own published contacts are not personal information.
# The defaults are the Indio Police Department's (policy 385 is theirs); another department sets its own.
SCREENING_DEPARTMENT_PHONES = env_list("SCREENING_DEPARTMENT_PHONES", "(760) 391-4051")
SCREENING_DEPARTMENT_EMAIL_DOMAINS = env_list("SCREENING_DEPARTMENT_EMAIL_DOMAINS", "indio.gov,indiopd.org")
SCREENING_DEPARTMENT_ADDRESSES = env_list("SCREENING_DEPARTMENT_ADDRESSES", "46-800 Jackson St,46800 Jackson St")
SCREENING_READABILITY_MAX_GRADE = env_int("SCREENING_READABILITY_MAX_GRADE", 9)
# Records exports are kept outside MEDIA_ROOT (never served as static media): each download is checked and audited.
EXPORT_ROOT = Path(os.environ.get("EXPORT_DIR", VAR_DIR / "exports"))
EXPORT_EXPIRY_HOURS = env_int("EXPORT_EXPIRY_HOURS", 72)
# Builds of one export (first try, retries and the sweeper's requeues together); after the last it is failed for good.
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 5)
# A public-records request is due this many days after it is received (Cal. Gov. Code § 7922.535: ten days);
# set RECORDS_REQUEST_BUSINESS_DAYS=1 where the statute counts business days.
RECORDS_REQUEST_DAYS = env_int("RECORDS_REQUEST_DAYS", 10)
RECORDS_REQUEST_BUSINESS_DAYS = env_bool("RECORDS_REQUEST_BUSINESS_DAYS", False)
# The exemption cited for each kind of automatic redaction in a public-release export.
REDACTION_EXEMPTIONS = {
    "personal": os.environ.get("REDACTION_EXEMPTION_PERSONAL", "Cal. Gov. Code § 7927.700 (personal privacy)"),
    "confidential": os.environ.get(
        "REDACTION_EXEMPTION_CONFIDENTIAL", "Cal. Gov. Code § 7923.600 (law enforcement investigative records)"
    ),
}

# Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-us"
# The public website is offered in these (posts.public_views picks one per request, from the address or the visitor's
# choice or Accept-Language); staff pages stay in English whatever the browser asks, so no LocaleMiddleware.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True
FORMS_URLFIELD_ASSUME_HTTPS = True

# E-mail -----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# For the file-based backend (each message written to a file in this folder).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "socialgov@localhost")
# Links in e-mails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CREDENTIALS_KEY = os.environ.get("CREDENTIALS_KEY", "")

# Platform API versions: changed here (or in the environment) when a platform retires one, not in code.
FACEBOOK_GRAPH_VERSION = os.environ.get("FACEBOOK_GRAPH_VERSION", "v21.0")
X_API_VERSION = os.environ.get("X_API_VERSION", "2")
# Credentials are renewed this long before they expire; the team is warned a week ahead if renewal cannot be done.
CREDENTIAL_RENEW_AHEAD_HOURS = env_int("CREDENTIAL_RENEW_AHEAD_HOURS", 72)
CREDENTIAL_WARN_AHEAD_DAYS = env_int("CREDENTIAL_WARN_AHEAD_DAYS", 7)
# How far back each department account's own posts are read for capture (385.7) and posts made elsewhere (385.5(g)).
ACCOUNT_READ_DAYS = env_int("ACCOUNT_READ_DAYS", 30)

# Posts ------------------------------------------------------------------------
# A worker that claimed a publication and went silent this long is presumed dead; the sweeper reconciles.
PUBLISH_LEASE_SECONDS = env_int("PUBLISH_LEASE_SECONDS", 300)
PUBLISH_SWEEP_AFTER_SECONDS = env_int("PUBLISH_SWEEP_AFTER_SECONDS", 60)
# A publication still failing after this many attempts is shown to the team and notified once, before it gives up.
PUBLISH_ATTENTION_ATTEMPTS = env_int("PUBLISH_ATTENTION_ATTEMPTS", 3)
# Public comment form: at most this many comments per address per hour (without an address: per session, all
# such visitors without a session sharing one count).
COMMENT_RATE_PER_HOUR = env_int("COMMENT_RATE_PER_HOUR", 5)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Audit checkpoints (core/checkpoints.py) ---------------------------------------
# Signed checkpoints of the audit trail's newest event go here, one new file each, never rewritten. Keep the folder
# where the database's administrators cannot write, and copy it off the machine.
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))
# The HMAC-SHA256 key that signs them: a key the database does not hold (comma-separated to rotate, new first).
# Unset, a key derived from SECRET_KEY for this purpose alone is used; production should set a separate one.
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "")

# Celery ---------------------------------------------------------------------
BROKER_DIR = Path(os.environ.get("BROKER_DIR", VAR_DIR / "broker"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Fail fast when Redis is away: a request that queues work after its commit gives up within about a second
    # (core.queueing) and the sweepers send the work later. Workers keep reconnecting (broker_connection_retry).
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 2}
    _REDIS_RETRY_ONCE = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
    CELERY_TASK_PUBLISH_RETRY_POLICY = _REDIS_RETRY_ONCE
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
    CELERY_REDIS_SOCKET_TIMEOUT = 2
    # The result store's default is 20 reconnections a second apart: 19 s before a request gets its answer.
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _REDIS_RETRY_ONCE}
else:
    for sub in ("out", "processed", "results", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    # Kombu's filesystem transport, writing each message whole before a worker can see it (core/broker.py).
    CELERY_BROKER_URL = "socialgov-filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "socialgov")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Every periodic job, in one place.
CELERY_BEAT_SCHEDULE = {
    "send-pending-notifications": {
        "task": "core.tasks.send_pending_notifications_task",
        "schedule": timedelta(minutes=1),
    },
    "sweep-publications": {
        "task": "posts.tasks.sweep_publications_task",
        "schedule": timedelta(minutes=1),
    },
    "flush-view-counts": {
        "task": "posts.tasks.flush_view_counts_task",
        "schedule": timedelta(minutes=1),
    },
    "fetch-platform-comments": {
        "task": "posts.tasks.fetch_comments_task",
        "schedule": timedelta(minutes=5),
    },
    "read-department-accounts": {
        "task": "posts.tasks.read_accounts_task",
        "schedule": timedelta(minutes=15),
    },
    "sweep-comment-actions": {
        "task": "posts.tasks.sweep_comment_actions_task",
        "schedule": timedelta(minutes=5),
    },
    "renew-credentials": {
        "task": "posts.tasks.renew_credentials_task",
        "schedule": timedelta(minutes=10),
    },
    "collect-metrics": {
        "task": "posts.tasks.collect_metrics_task",
        "schedule": timedelta(hours=24),
    },
    "archive-published": {
        "task": "retention.tasks.archive_published_task",
        "schedule": timedelta(minutes=5),
    },
    "disposition-scan": {
        "task": "retention.tasks.disposition_scan_task",
        "schedule": timedelta(days=1),
    },
    "sweep-exports": {
        "task": "retention.tasks.sweep_exports_task",
        "schedule": timedelta(minutes=5),
    },
    "media-locks": {
        "task": "retention.tasks.sweep_media_locks_task",
        "schedule": timedelta(hours=24),
    },
    "fixity-check": {
        "task": "retention.tasks.fixity_check_task",
        "schedule": timedelta(days=7),
    },
    "audit-checkpoint": {
        "task": "core.tasks.write_checkpoint_task",
        "schedule": timedelta(minutes=15),
    },
    "verify-audit-trail": {
        "task": "socialgov.tasks.verify_audit_trail_task",
        "schedule": timedelta(days=1),
    },
    "sweep-annual-reviews": {
        "task": "oversight.review.sweep_annual_reviews_task",
        "schedule": timedelta(minutes=5),
    },
    "send-training-reminders": {
        "task": "oversight.training_tasks.send_training_reminders_task",
        "schedule": timedelta(days=1),
    },
    "destroy-expired-vetting-files": {
        "task": "vetting.tasks.destroy_expired_vetting_files_task",
        "schedule": timedelta(days=1),
    },
    "end-expired-searcher-designations": {
        "task": "vetting.tasks.end_expired_designations_task",
        "schedule": timedelta(days=1),
    },
}

# Beat runs once (socialgov/beat.py) ------------------------------------------
# With Redis, beat may run on several machines for failover: the schedule and a lock live in Redis, the lock's holder
# sends the periodic tasks and renews the lock every tick (at most BEAT_MAX_LOOP_INTERVAL apart), and the others stand
# by until it is free: at once when its holder stopped cleanly, BEAT_LOCK_SECONDS after it died. Deployments that
# share one Redis server use different database numbers (their broker queues would mix otherwise), so the fixed key
# names below never meet. The embedded default keeps Celery's own beat and its schedule file: one machine, one beat.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "socialgov.beat:SingleBeatScheduler"
    CELERY_BEAT_MAX_LOOP_INTERVAL = 5
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
    CELERY_REDBEAT_KEY_PREFIX = "socialgov:beat:"
    CELERY_REDBEAT_LOCK_KEY = "socialgov:beat:lock"
    CELERY_REDBEAT_LOCK_TIMEOUT = env_int("BEAT_LOCK_SECONDS", 30)
    _SHORTEST_BEAT_LOCK = 3 * CELERY_BEAT_MAX_LOOP_INTERVAL
    if CELERY_REDBEAT_LOCK_TIMEOUT < _SHORTEST_BEAT_LOCK:
        # A lock shorter than a few ticks expires under a holder that is merely busy, and two beats would send.
        raise ImproperlyConfigured(
            f"BEAT_LOCK_SECONDS must be at least {_SHORTEST_BEAT_LOCK}, not {CELERY_REDBEAT_LOCK_TIMEOUT}."
        )

# Logging: never log secrets; request bodies and credentials are not logged anywhere.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Demo data ----------------------------------------------------------------------
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-pass-2026")
DEMO_TOTP_SECRET = os.environ.get("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXP")

# REST API (api/): Django REST framework under /api/v1/, personal bearer tokens only (no session, so no CSRF), one
# error shape, cursor pages, a rate per token. The schema is OpenAPI 3 (drf-spectacular); Swagger UI and Redoc are
# served from the app's own static files (drf-spectacular-sidecar), never a CDN.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScopes"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE_PER_TOKEN", "1200/min")},
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "socialgov API",
    "DESCRIPTION": (
        "The department's social media under policy 385, for other systems: the same services, permissions and "
        "audit trail as the pages. Every refusal is `{code, section, detail}`; `section` names the policy clause."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# django-guardian: no anonymous user object; the public pages need none.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
