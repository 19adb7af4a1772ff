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
    "emes",
    "plans",
    "inspections",
    "literacy",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
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
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

# EMES domain settings.
EMES_IMPORT_MAX_BYTES = env.int("EMES_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)  # largest accepted upload (bytes)
EMES_PDF_FONT_FAMILY = env.str("EMES_PDF_FONT_FAMILY", default="Laksaman")
# Reminder stages, in the office's working days (``emes.fiscal.WorkingCalendar``): a notice this many
# working days before the due date; the first letter this many working days after it; the second
# letter (to the division head or the school's director) this many working days after the first.
EMES_REMINDER_NOTICE_DAYS_BEFORE = env.int("EMES_REMINDER_NOTICE_DAYS_BEFORE", default=3)
EMES_REMINDER_FIRST_LETTER_DAYS_AFTER = env.int("EMES_REMINDER_FIRST_LETTER_DAYS_AFTER", default=1)
EMES_REMINDER_SECOND_LETTER_DAYS_AFTER = env.int("EMES_REMINDER_SECOND_LETTER_DAYS_AFTER", default=5)
# The address people open EMES at, for links in e-mails (e.g. https://emes.example.go.th); empty: no links.
EMES_SITE_URL = env.str("EMES_SITE_URL", default="").rstrip("/")
EMES_REMINDER_EMAIL_MAX_RETRIES = env.int("EMES_REMINDER_EMAIL_MAX_RETRIES", default=5)  # then the reminder is marked failed
