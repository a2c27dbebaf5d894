"""Django settings for Beredskap. Every value that differs between installations
comes from the environment (see README, "Configuration")."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from beredskap.envsettings import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_json_list,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("BEREDSKAP_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("BEREDSKAP_DEBUG", False)
PRODUCTION = env_bool("BEREDSKAP_PRODUCTION", False)
#: Known to everyone who has read this file: it signs nothing outside a debug run.
DEV_SECRET_KEY = "dev-only-not-secret-beredskap"  # noqa: S105 - development default
SECRET_KEY = env_str("BEREDSKAP_SECRET_KEY", "")
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ConfigError(
        "BEREDSKAP_SECRET_KEY must be set in production to a secret of at least 32 characters"
        " (not the development key)"
    )
if SECRET_KEY == DEV_SECRET_KEY and not DEBUG:
    raise ConfigError("BEREDSKAP_SECRET_KEY is the development key; it is refused outside debug")
if not SECRET_KEY:
    # Feed links and sessions are signed with SECRET_KEY. Outside a debug run an unset key
    # gets a random one per process, so nothing signed can be forged from the public dev key.
    import secrets as _secrets

    SECRET_KEY = DEV_SECRET_KEY if DEBUG else _secrets.token_urlsafe(50)
ALLOWED_HOSTS = env_list("BEREDSKAP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("BEREDSKAP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "beredskap.core",
    "beredskap.actors",
    "beredskap.risk",
    "beredskap.planning",
    "beredskap.exercises",
    "beredskap.commitments",
    "beredskap.capacity",
    "beredskap.operations",
    "beredskap.modelling",
    "beredskap.surveillance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "beredskap.core.middleware.RejectNulBytesMiddleware",
    "beredskap.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "beredskap.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "beredskap.core.twofactor.OTPMiddleware",  # django-otp, plus a provider's strong sign-in
    "beredskap.core.middleware.AuditActorMiddleware",
    "beredskap.core.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "beredskap.urls"
WSGI_APPLICATION = "beredskap.wsgi.application"

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
                "beredskap.core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'beredskap.sqlite3'}"),
        conn_max_age=env_int("BEREDSKAP_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
AUTHENTICATION_BACKENDS = ["beredskap.core.accounts.AccountBackend"]

# Accounts and single sign-on (OpenID Connect: HelseID, ID-porten, Entra ID).
#: Local user names and passwords; 0 where everyone signs in through an identity provider.
BEREDSKAP_LOCAL_LOGIN = env_bool("BEREDSKAP_LOCAL_LOGIN", True)
#: Identity providers: a JSON list (inline or a file path); see README, "Configuration".
BEREDSKAP_OIDC_PROVIDERS = env_json_list("BEREDSKAP_OIDC_PROVIDERS")
#: How long a first-login invitation link works.
BEREDSKAP_INVITATION_DAYS = env_int("BEREDSKAP_INVITATION_DAYS", 7, minimum=1)
#: How long a password-reset link works (it also stops working once used).
PASSWORD_RESET_TIMEOUT = 60 * env_int("BEREDSKAP_PASSWORD_RESET_MINUTES", 60, minimum=5)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("BEREDSKAP_FAST_HASHER", False):  # test runs only: argon2 is deliberately slow
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "beredskap.core.passwords.NoNameInPasswordValidator"},
]

# Sign-in security. Failures count per (username, source address); each lockout past the
# limit doubles (capped at LOGIN_LOCKOUT_MAX_MINUTES), so an attacker elsewhere cannot lock
# a user out, and guessing slows down exponentially.
LOGIN_MAX_FAILURES = env_int("BEREDSKAP_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("BEREDSKAP_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
LOGIN_LOCKOUT_MAX_MINUTES = env_int("BEREDSKAP_LOGIN_LOCKOUT_MAX_MINUTES", 24 * 60, minimum=1)
#: Lifetime of a new API token in days.
BEREDSKAP_API_TOKEN_DAYS = env_int("BEREDSKAP_API_TOKEN_DAYS", 90, minimum=1)
SESSION_COOKIE_AGE = env_int("BEREDSKAP_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("BEREDSKAP_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Classification: the installation's highest allowed level.
BEREDSKAP_MAX_CLASSIFICATION = env_choice(
    "BEREDSKAP_MAX_CLASSIFICATION", "KONFIDENSIELT", {"UGRADERT", "BEGRENSET", "KONFIDENSIELT"}
)
# Days after a crisis closes that the access it gave participating organisations still holds
# (time to finish reports and the evaluation); then their grants expire.
BEREDSKAP_CRISIS_GRANT_DAYS = env_int("BEREDSKAP_CRISIS_GRANT_DAYS", 30, minimum=0)

#: Days a calendar feed link works before its holder must make a new one.
BEREDSKAP_FEED_KEY_DAYS = env_int("BEREDSKAP_FEED_KEY_DAYS", 180, minimum=1)

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("BEREDSKAP_STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

TASKS = {
    "default": {
        "BACKEND": env_str("BEREDSKAP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env_str("BEREDSKAP_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("BEREDSKAP_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("BEREDSKAP_SMTP_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("BEREDSKAP_FROM_EMAIL", "beredskap@localhost")
#: Generic HTTP SMS gateway (core.channels.HttpSmsChannel); SMS is refused while the URL is empty.
BEREDSKAP_SMS_URL = env_str("BEREDSKAP_SMS_URL", "")
BEREDSKAP_SMS_TOKEN = env_str("BEREDSKAP_SMS_TOKEN", "")
BEREDSKAP_SMS_SENDER = env_str("BEREDSKAP_SMS_SENDER", "Beredskap")
#: Public address of the installation, used for links in e-mail.
BEREDSKAP_BASE_URL = env_str("BEREDSKAP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

NINJA_PAGINATION_PER_PAGE = 50
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BEREDSKAP_LOG_LEVEL", "WARNING")},
}

from beredskap.core.oidc.config import parse_providers  # noqa: E402 - fail loudly at start-up

parse_providers(BEREDSKAP_OIDC_PROVIDERS)

# Background workers (operator's guide, "Workers"): a job whose worker has not written its
# heartbeat for the lease is failed with a clear message; a queued job older than the
# warning age with no live worker is flagged on its page and by the health endpoint.
BEREDSKAP_WORKER_LEASE_SECONDS = env_int("BEREDSKAP_WORKER_LEASE_SECONDS", 120, minimum=3)
BEREDSKAP_QUEUE_WARN_SECONDS = env_int("BEREDSKAP_QUEUE_WARN_SECONDS", 60, minimum=1)
BEREDSKAP_BACKUP_DIR = Path(env_str("BEREDSKAP_BACKUP_DIR", str(VAR_DIR / "backup")))
CSRF_FAILURE_VIEW = "beredskap.core.errorviews.csrf_failure"
