"""Settings for Staffing desk, read from the environment (and `.env` when present).

Every variable is listed in `.env.example`. Defaults are safe for production except the
database (an embedded SQLite file) and a development-only secret key that `check --deploy` flags.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address used in emails (links to the portal, password set-up). Unset, it follows the
# port `make run` serves (PORT), so the links of a `make run PORT=8001` point at 8001.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The full-text search field of CV texts (its lookups act on PostgreSQL only).
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "staffing",
    "candidates",
    "missions",
    "interviews",
    # The top layer: nothing below imports these.
    "portal",
    "insights",
    "demo",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "staffing.middleware.AgencyLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "staffing.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "staffing.urls"
WSGI_APPLICATION = "staffing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "staffing.context_processors.roles",
                "missions.context_processors.caps",
                "interviews.context_processors.caps",
                "insights.context_processors.nav_counts",
            ],
        },
    },
]

# SQLite by default (embedded, nothing to install); PostgreSQL through DATABASE_URL.
FORM_RENDERER = "staffing.forms.DeskFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so the count-then-insert rules (R1, R2)
    # are serialised on SQLite as select_for_update serialises them on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    # Persistent connections: a new connection per request costs ~8x the throughput.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # After a database restart, a stale persistent connection is replaced instead of failing.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A page's queries are short: no JIT compilation (PostgreSQL triggers it on estimated
    # cost; the dashboard at 100,000 profiles spent 1.1 s compiling a 0.1 s query) and no
    # parallel workers (they compete with the other requests for the same cores: +20 ms on
    # the matching query). docs/performance.md has the measures.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (emails): tasks are rows of the app's own database, enqueued in the
# transaction of the change that asks for them, and run by `manage.py db_worker`
# (`make run` starts one; docs/deploy.md for production). Tests run them immediately.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed logins before Django checks the password (see "Login abuse" below).
# The desk's backend is Django's model backend loading the request's user with its roles in one
# query (staffing/auth.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staffing.auth.DeskBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# French is the agency's language; English is offered by the switcher.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Private files (CVs) never have a public URL: a permission-checking view serves them.
# They live in a local directory unless PRIVATE_STORAGE_BUCKET names an S3-compatible bucket,
# which every app server shares (docs/deploy.md, "Object storage").
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))
PRIVATE_STORAGE_BUCKET = env("PRIVATE_STORAGE_BUCKET", default="")


def private_storage_config(bucket):
    """The STORAGES entry for private files: the local directory, or the given bucket."""
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        }
    optional = {
        "endpoint_url": env("PRIVATE_STORAGE_ENDPOINT_URL", default=""),
        "region_name": env("PRIVATE_STORAGE_REGION", default=""),
        "access_key": env("PRIVATE_STORAGE_ACCESS_KEY_ID", default=""),
        "secret_key": env("PRIVATE_STORAGE_SECRET_ACCESS_KEY", default=""),
        "addressing_style": env("PRIVATE_STORAGE_ADDRESSING_STYLE", default=""),
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Unset keys fall back to boto3's own chain (AWS_* variables, an instance role).
            **{name: value for name, value in optional.items() if value},
            # No public ACL on any object; a URL, if anything ever asked for one, would be
            # signed and expire within a minute. Downloads go through the view anyway.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "custom_domain": None,
            # Never overwrite an existing object: a name collision gets a new name, as on disk.
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }


STORAGES = {
    "private": private_storage_config(PRIVATE_STORAGE_BUCKET),
    # Nothing uses the default storage; it points at the same private place so a file field
    # that forgot `storage=private_storage` still never lands anywhere public.
    "default": private_storage_config(PRIVATE_STORAGE_BUCKET),
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
CV_MAX_BYTES = env.int("CV_MAX_BYTES", default=5 * 1024 * 1024)

# Email: console in development, SMTP through EMAIL_URL in production
# (e.g. smtp+tls://user:password@smtp.example.com:587). Tests swap in the memory backend.
_email = env.email("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": env.int("EMAIL_TIMEOUT", default=10),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {k: v for k, v in _smtp_options.items() if v not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Staffing desk <noreply@localhost>")

# Reminders (`manage.py send_reminders`, run periodically by `manage.py reminder_clock`):
# a shortlist sent to a client and unanswered after this many working days (Monday to
# Friday) is flagged to its recruiter; the clock enqueues the checks every interval.
SHORTLIST_REMINDER_WORKING_DAYS = env.int("SHORTLIST_REMINDER_WORKING_DAYS", default=3)
REMINDER_CLOCK_SECONDS = env.int("REMINDER_CLOCK_SECONDS", default=3600)

# Security headers. HTTPS-only settings are on unless DEBUG; behind a TLS-terminating proxy,
# set SECURE_PROXY_SSL_HEADER_ENABLED so Django trusts X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
# Preloading HSTS commits the whole domain and its subdomains to HTTPS in browsers for good:
# the operator opts in with SECURE_HSTS_PRELOAD. Until then its deploy-check reminder is noise.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions in the database, read with one fixed statement (staffing/sessions.py).
SESSION_ENGINE = "staffing.sessions"
# The language switcher's cookie: sent over HTTPS only, out of reach of scripts (none reads it).
LANGUAGE_COOKIE_SECURE = env.bool("LANGUAGE_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# The REST API (`api`, docs/api.md): personal tokens or the session (for the browsable
# docs), JSON only, one error format, and a request budget per token (or per user).
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="1000/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials gets 401 with its WWW-Authenticate header.
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Staffing desk API",
    "DESCRIPTION": "Missions, profiles, shortlists and interviews, under the same rules as the "
    "pages. Authenticate with `Authorization: Bearer <token>` (a personal token from your "
    "profile menu).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MissionStateEnum": "missions.models.MissionState",
        "EntryStateEnum": "missions.models.EntryState",
        "InterviewStateEnum": "interviews.models.InterviewState",
        "FailureCauseEnum": "missions.models.FailureCause",
        "ClientDeclineReasonEnum": "portal.forms.CLIENT_DECLINE_REASONS",
        "RemotePolicyEnum": "candidates.models.RemotePolicy",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema is for users of the API: a token or a session, like the endpoints.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Login abuse (django-axes): after 5 failed logins for one username from one address, that
# pair is locked for 15 minutes; a successful login clears the count. Counting per pair, not
# per username, keeps an attacker from locking a user out from elsewhere. Admins unlock in the
# admin (Access attempts) or with `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind reverse proxies every request comes from the proxy's address: the client's is then
# the one the nearest trusted proxy appended to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)


def login_client_ip(request):
    """The address login attempts are counted by: the connection's, or behind
    TRUSTED_PROXY_COUNT proxies the one they saw (earlier X-Forwarded-For entries are the
    client's own claims and could be forged)."""
    from django.conf import settings  # noqa: PLC0415 - read at request time, not import time

    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = login_client_ip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The worker (`db_worker`) adds its own handler to these unless they have one: one
        # line per event, not two.
        "django.tasks": {"handlers": ["console"], "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "propagate": False},
        # WeasyPrint logs each step of every skills dossier it draws.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
