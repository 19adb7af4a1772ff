"""Settings of EMES, read from the environment (and an optional ``.env`` file).

Every deployment-specific value comes from an environment variable; see ``.env.example``.
The embedded default for a first run is SQLite plus Celery in eager mode (tasks run
in-process); a real deployment sets ``DATABASE_URL`` (PostgreSQL) and ``CELERY_BROKER_URL``
(Redis).
"""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=False)

_INSECURE_KEY = "django-insecure-emes-development-only"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
if not DEBUG and (SECRET_KEY == _INSECURE_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 32):
    # Refuse to run a production configuration with a guessable key (sessions and
    # password-reset tokens are signed with it).
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a real secret (32+ characters) when DEBUG is off. "
        "Set SECRET_KEY in the environment or in .env (see .env.example)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "cachalot",  # only its bookkeeping of when each table was last written (emes.pagecache); its query cache is off
    "emes",
    "plans",
    "inspections",
    "literacy",
    "evaluation",
    "reports",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "emes.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "emes.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "emes.middleware.ForcePasswordChangeMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emes.urls"

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
                "emes.notifications.context.notifications",
            ],
            "builtins": ["emes.templatetags.thai"],
        },
    }
]

WSGI_APPLICATION = "emes.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'emes.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    (BASE_DIR / "var").mkdir(exist_ok=True)  # the embedded first-run database lives in var/
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a worker keeps its PostgreSQL connection for CONN_MAX_AGE seconds instead of
# opening one per request (opening one cost more than the whole bare session view: issue 18, bench/README.md,
# "Page throughput"). The health check tests a kept connection before a request reuses it, so a restarted
# PostgreSQL costs one failed ping, not one failed request. Each gunicorn worker and Celery child holds at
# most one connection: size max_connections (or the pooler) to their sum (README.md, "Deployment").
# 0 closes after each request (SQLite default: nothing to keep).
_IS_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if _IS_SQLITE else 600))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the password-reset throttle's counters. One process (first run): local memory;
# a deployment with several gunicorn workers sets CACHE_URL to Redis (redis://host:6379/1, a
# database of its own: the broker's must not be flushed by a cache clear).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# The page cache of the read-heavy pages (emes.pagecache, docs/page-cache.md). django-cachalot stamps each table
# with the time of its last committed write; a cached page whose tables were written after it began to render is
# not served. The stamps must be seen by every process, so the cache is on by default only with a shared cache
# (Redis); EMES_PAGE_CACHE=true turns it on for one process with the local-memory cache (runserver, tests).
CACHALOT_ENABLED = False  # cachalot's own query cache: not used
CACHALOT_TIMEOUT = None  # a table's stamp must outlive every page that read the table
# auth_user is written at every login (last_login); the page cache stamps account changes itself, logins excepted
# (emes.pagecache.PEOPLE_STAMP), so cachalot need not stamp the table at each login.
CACHALOT_UNCACHABLE_TABLES = frozenset(("django_migrations", "auth_user"))
EMES_PAGE_CACHE = env.bool(
    "EMES_PAGE_CACHE",
    default=CACHES["default"]["BACKEND"] not in (
        "django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"),
)
EMES_PAGE_CACHE_SECONDS = env.int("EMES_PAGE_CACHE_SECONDS", default=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a login while its username+IP is locked out, and records every
    # attempt (AccessAttempt, AccessFailureLog) and every login/logout (AccessLog).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address behind the TLS proxy (its X-Forwarded-For), the same one the reset throttle counts.
AXES_CLIENT_IP_CALLABLE = "emes.people.throttle.client_ip"
# Password-reset mails: at most this many requests per e-mail address and per client address in the
# window (``emes.people.throttle``); a further request sends nothing and says so, the same for any address.
EMES_PASSWORD_RESET_LIMIT = env.int("EMES_PASSWORD_RESET_LIMIT", default=3)
EMES_PASSWORD_RESET_WINDOW_MINUTES = env.int("EMES_PASSWORD_RESET_WINDOW_MINUTES", default=60)
# Public evaluation answers (no login): at most this many per client address and evaluation in the window
# (a training room behind one NAT address sends all its participants' answers from one address). docs/evaluation.md
EMES_PUBLIC_ANSWER_LIMIT = env.int("EMES_PUBLIC_ANSWER_LIMIT", default=200)
EMES_PUBLIC_ANSWER_WINDOW_MINUTES = env.int("EMES_PUBLIC_ANSWER_WINDOW_MINUTES", default=60)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day (seconds)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Thai first, English available; Thailand's time zone, aware datetimes.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Generated documents and uploads live outside the web root and are served only
# through views that check access (never by the web server directly).
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT)},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
MEDIA_ROOT = PRIVATE_STORAGE_ROOT

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # seconds; a hung SMTP server must not hold a worker
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="emes@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in a real deployment; with no broker, tasks run in-process (eager).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# WeasyPrint keeps ~0.3 MB per rendered letter in the process (bench/README.md, reminder sweep); a worker
# child is replaced after this many tasks so a day of 800 letters does not grow it by 230 MB.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
# Every task gets these limits (seconds) unless its kind sets its own (``EMES_REPORT_JOB_TIME_LIMIT``).
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
# A worker killed mid-task (SIGKILL, out of memory) never acks its message; Redis hands it to another
# worker after this many seconds. It must exceed every hard time limit (else a task still running is
# delivered twice) and the longest retry countdown (reminder e-mails: one hour). See ``emes.jobs``.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The one place the beat schedule lives: the daily reminder sweep (``reports.reminders``), run by
# ``celery -A emes beat``. The sweep catches up on days it missed, so a skipped run loses nothing.
CELERY_BEAT_SCHEDULE = {
    "daily-reminder-sweep": {
        "task": "reports.reminders.tasks.sweep_reminders_task",
        "schedule": crontab(
            hour=env.int("EMES_REMINDER_SWEEP_HOUR", default=10), minute=env.int("EMES_REMINDER_SWEEP_MINUTE", default=0)
        ),
    },
    # Job rows left running by a dead worker are requeued (within EMES_JOB_MAX_ATTEMPTS) or failed with a reason.
    "reap-stale-jobs": {"task": "emes.reap_jobs_task", "schedule": env.int("EMES_JOB_REAP_SECONDS", default=300)},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# TLS ends at the reverse proxy (Caddy in docker-compose.yml), which overwrites X-Forwarded-Proto;
# gunicorn accepts that header only from the proxy's address (--forwarded-allow-ips). Django
# trusts it only when EMES_BEHIND_TLS_PROXY says such a proxy is in front: without one, any
# client could claim HTTPS by sending the header itself.
EMES_BEHIND_TLS_PROXY = env.bool("EMES_BEHIND_TLS_PROXY", default=False)
if EMES_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the proxy, a plain-HTTP request is redirected to HTTPS (the proxy already does so; this
# catches a request that reaches gunicorn another way), and browsers are told to use HTTPS only
# (HSTS; Django sends it on HTTPS responses only, so a plain-HTTP first look is unaffected).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=EMES_BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# The HSTS preload list takes only a registrable domain (the office's whole domain, served by its
# own web team), never a host such as emes.<office>.go.th, so EMES does not ask for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): every script and style comes from EMES's own static files
# (no CDN, no inline code; a template that must inline one uses the nonce ``request.csp_nonce``).
# ``data:`` images are Bootstrap's form icons (SVG in its CSS).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

# EMES domain settings.
EMES_IMPORT_MAX_BYTES = env.int("EMES_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)  # largest accepted upload (bytes)
# Bounds of every tabular upload (emes.uploads.read_upload), per sheet. A school list of all 29,579 OBEC
# schools with ~40 columns is 1.2 million cells; memory stays bounded whatever a hostile file claims.
EMES_UPLOAD_MAX_ROWS = env.int("EMES_UPLOAD_MAX_ROWS", default=100_000)  # last row number of a sheet
EMES_UPLOAD_MAX_COLS = env.int("EMES_UPLOAD_MAX_COLS", default=256)  # last column of a sheet
EMES_UPLOAD_MAX_CELLS = env.int("EMES_UPLOAD_MAX_CELLS", default=3_000_000)  # rows × columns used by a sheet
EMES_UPLOAD_MAX_UNPACKED_BYTES = env.int("EMES_UPLOAD_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)  # an .xlsx unpacked
EMES_UPLOAD_MAX_ZIP_RATIO = env.int("EMES_UPLOAD_MAX_ZIP_RATIO", default=100)  # unpacked ÷ packed of one part (ZIP bomb)
EMES_UPLOAD_MAX_ZIP_MEMBERS = env.int("EMES_UPLOAD_MAX_ZIP_MEMBERS", default=1000)  # parts of an .xlsx
EMES_PDF_FONT_FAMILY = env.str("EMES_PDF_FONT_FAMILY", default="Laksaman")
# Reminder stages, in the office's working days (``emes.fiscal.WorkingCalendar``): a notice this many
# working days before the due date; the first letter this many working days after it; the second
# letter (to the division head or the school's director) this many working days after the first.
EMES_REMINDER_NOTICE_DAYS_BEFORE = env.int("EMES_REMINDER_NOTICE_DAYS_BEFORE", default=3)
EMES_REMINDER_FIRST_LETTER_DAYS_AFTER = env.int("EMES_REMINDER_FIRST_LETTER_DAYS_AFTER", default=1)
EMES_REMINDER_SECOND_LETTER_DAYS_AFTER = env.int("EMES_REMINDER_SECOND_LETTER_DAYS_AFTER", default=5)
# The address people open EMES at, for links in e-mails (e.g. https://emes.example.go.th); empty: no links.
EMES_SITE_URL = env.str("EMES_SITE_URL", default="").rstrip("/")
EMES_NOTIFICATION_DIGEST_SECONDS = env.int("EMES_NOTIFICATION_DIGEST_SECONDS", default=120)  # notifications arriving within it share one e-mail
EMES_REMINDER_EMAIL_MAX_RETRIES = env.int("EMES_REMINDER_EMAIL_MAX_RETRIES", default=5)  # then the reminder is marked failed
# Job rows (``emes.jobs``): the hard time limit of an annual-report build (seconds; its soft limit is 80 % of
# it), how many times a job whose worker died is started again before it fails, how long a job may wait
# for a worker before the page says so (seconds) and before it fails (seconds).
EMES_REPORT_JOB_TIME_LIMIT = env.int("EMES_REPORT_JOB_TIME_LIMIT", default=15 * 60)
EMES_JOB_MAX_ATTEMPTS = env.int("EMES_JOB_MAX_ATTEMPTS", default=3)
EMES_JOB_QUEUED_WARN_SECONDS = env.int("EMES_JOB_QUEUED_WARN_SECONDS", default=2 * 60)
EMES_JOB_QUEUED_TIMEOUT = env.int("EMES_JOB_QUEUED_TIMEOUT", default=60 * 60)
# With no broker (the embedded default) a long job (the annual report build) runs in a background thread of
# the web process instead of inside the request, so the page answers at once and polls the progress
# (``emes.jobs.start``). A real deployment has a broker and Celery workers; this stays off.
EMES_JOBS_IN_THREAD = env.bool("EMES_JOBS_IN_THREAD", default=CELERY_TASK_ALWAYS_EAGER)
