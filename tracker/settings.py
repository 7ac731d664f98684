"""All settings, read once from the environment (see README, "Configuration").

APP_ENV=development (default) runs with no services: SQLite and a filesystem Celery broker
under var/, a generated secret key, console e-mail. APP_ENV=production refuses to start
without SECRET_KEY and ALLOWED_HOSTS and turns on every HTTPS protection `check --deploy` asks for.
"""

import re
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tracker import env, logs, security_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.read_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

APP_ENV = env.read_choice("APP_ENV", "development", {"development", "production"})
IS_PRODUCTION = APP_ENV == "production"

DEBUG = env.read_bool("DEBUG", default=not IS_PRODUCTION)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when APP_ENV=production.")


def _secret_key() -> str:
    key = env.read_str("SECRET_KEY")
    if key:
        # The same bar as Django's security.W009 check, enforced at start-up.
        if IS_PRODUCTION and (len(key) < 50 or len(set(key)) < 5):
            raise ImproperlyConfigured(
                "SECRET_KEY must be at least 50 random characters in production."
            )
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when APP_ENV=production.")
    # Local runs: one random key per checkout, kept out of the repository.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.read_list(
    "ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when APP_ENV=production.")
CSRF_TRUSTED_ORIGINS = env.read_list("CSRF_TRUSTED_ORIGINS", [])
# Links in e-mails and pushes are absolute (they are opened away from the site): required in
# production, and https there.
if IS_PRODUCTION and not env.read_str("SITE_URL"):
    raise ImproperlyConfigured("SITE_URL is required when APP_ENV=production.")
SITE_URL = env.read_site_url("SITE_URL", "http://127.0.0.1:8000", require_https=IS_PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tracker",
    "exercises",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses HTML and JSON (the caseload: about 97 KB, 12 KB gzipped). Outside everything
    # that reads or writes the body, so it compresses the final response; below WhiteNoise
    # (inserted above it in production), which serves static files precompressed itself.
    # BREACH: Django >= 4.2 pads every gzipped response with random bytes ("Heal the Breach"),
    # and the only secret in our pages, the CSRF token, is masked anew per request; session
    # cookies travel in headers, which this does not compress.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.middleware.StaffSessionMiddleware",
    "tracker.middleware.PatientLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out answer.
    "axes.middleware.AxesMiddleware",
]

if IS_PRODUCTION:
    # gunicorn serves static files through WhiteNoise; in development runserver does.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.read_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.read_int("DB_CONN_MAX_AGE", 0)
# Celery workers keep their connections this long (tracker/celery.py: Celery's own fixup closed
# them around every task, whatever CONN_MAX_AGE said); health-checked before reuse.
WORKER_DB_CONN_MAX_AGE = env.read_int("WORKER_DB_CONN_MAX_AGE", 600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tracker.User"
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "tracker.auth_backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "role-home"  # by role: patients to /app/, therapists to /therapist/
LOGOUT_REDIRECT_URL = "/"

# Chinese first: the articles and most patients are Chinese-speaking. The browser's
# Accept-Language picks between the two, and the switcher (/i18n/setlang/) overrides it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]

# The emergency number a patient without a clinic is told to call (CLINICAL.md §6: China 120, the
# default locale's country). A clinic's own number, or its country's, comes first.
DEFAULT_EMERGENCY_NUMBER = env.read_str("DEFAULT_EMERGENCY_NUMBER", "120")
if not re.fullmatch(r"\+?[0-9]{2,15}", DEFAULT_EMERGENCY_NUMBER):
    raise ImproperlyConfigured(
        f"DEFAULT_EMERGENCY_NUMBER={DEFAULT_EMERGENCY_NUMBER!r} must be a phone number (digits)."
    )
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Redis serves as Celery broker and shared cache when REDIS_URL is set. Without it,
# Celery uses kombu's filesystem transport under var/ so `make run` needs no server.
REDIS_URL = env.read_str("REDIS_URL")
if REDIS_URL:
    env.read_broker_url("REDIS_URL", REDIS_URL)
CELERY_BROKER_URL = env.read_broker_url("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _dir in (_queue_dir, _processed_dir, _control_dir):
        _dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# If the broker connection drops mid-task, cancel the task so it is redelivered, rather than
# finishing work whose acknowledgement can no longer reach the broker.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.read_str("CACHE_KEY_PREFIX", "rehab"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# consolemail:// prints e-mails to the worker's log; production uses smtp+tls://user:pass@host:587
_email = env.read_email_url("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.read_str("DEFAULT_FROM_EMAIL", "Rehab tracker <noreply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "tracker.auth_backends.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "tracker.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON that nests too deeply is a 400, not a RecursionError (tracker/apis/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "tracker.apis.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    # Two `kind` enums (reminders' and invitations', issue 10): each gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "InvitationKindEnum": "tracker.models.invitations.InvitationKind",
        "KindEnum": "reminders.models.Kind",
    },
    "TITLE": "Rehab exercise tracker API",
    "DESCRIPTION": (
        "Exercise catalogue, programmes, check-ins and reminders for people with low back "
        "pain, disc herniation and sciatica. Advice, not a diagnosis."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Assets come from drf-spectacular-sidecar and are served by us: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation's 400/401/403/404 declared once (tracker/apis/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.apis.schema.add_error_responses",
        "tracker.apis.schema.keep_fhir_operation_names",
    ],
}

# --- Signing in ------------------------------------------------------------------------------
# Failed sign-ins (the sign-in page, /admin/login/, POST /api/v1/auth/token/) are counted by
# django-axes per username AND client address together, so a stranger elsewhere cannot lock a
# patient or a therapist out. Each failure while locked restarts the cool-off, so the lock ends
# exactly `Retry-After` seconds after the last answer.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.read_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.read_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "tracker.services.auth.login_username"
AXES_CLIENT_IP_CALLABLE = "tracker.services.auth.client_address"
AXES_LOCKOUT_CALLABLE = "tracker.views.login_locked_out"
# Failed attempts live in the database, which every process shares and locks row by row; expired
# ones are deleted as sign-ins come in, and a success clears its own. No log of successful
# sign-ins: the audit trail is ours.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# The TLS proxy's address(es) or networks. Only a request arriving from one of them has its client
# address read from X-Forwarded-For (the right-most entry that is not itself a trusted proxy); from
# anyone else the header is ignored, so a client cannot pick the address it is counted under.
TRUSTED_PROXIES = env.read_networks("TRUSTED_PROXIES")

# API tokens (django-rest-knox): stored as a hash, sent as `Authorization: Token <token>`. A token
# unused for API_TOKEN_IDLE_HOURS expires; every use extends it, but never past API_TOKEN_MAX_DAYS
# after it was issued. Logging out or changing the password revokes it.
API_TOKEN_IDLE_HOURS = env.read_int("API_TOKEN_IDLE_HOURS", 7 * 24, minimum=1)
API_TOKEN_MAX_DAYS = env.read_int("API_TOKEN_MAX_DAYS", 30, minimum=1)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_IDLE_HOURS),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=API_TOKEN_MAX_DAYS),
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": 20,
}

# Therapists and clinic admins work on shared clinic computers: their session cookie ends when the
# browser closes and the session after STAFF_SESSION_IDLE_MINUTES without a request. Patients
# (their own phones) keep the normal two-week session.
STAFF_SESSION_IDLE_MINUTES = env.read_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1)

# --- Headers ----------------------------------------------------------------------------------
# The Content-Security-Policy and Permissions-Policy: tracker/security_headers.py.
CONTENT_SECURITY_POLICY = security_headers.CONTENT_SECURITY_POLICY
PERMISSIONS_POLICY = security_headers.PERMISSIONS_POLICY

if IS_PRODUCTION:
    # Django believes X-Forwarded-Proto, so gunicorn must be reachable only through the TLS proxy
    # (docker-compose.yml binds it to 127.0.0.1); TRUST_X_FORWARDED_PROTO=false where it is not.
    if env.read_bool("TRUST_X_FORWARDED_PROTO", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.read_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.read_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# One console handler; quiet periodic tasks, one-line 403s: tracker/logs.py.
LOGGING = logs.logging_config(level=env.read_str("LOG_LEVEL", "INFO").upper())


# --- Reminders: Web Push (VAPID) keys -------------------------------------------------------
# The server's key pair for Web Push. Production sets VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY
# (base64url, as `manage.py vapid_keys` prints them); locally `manage.py vapid_keys` writes them
# once to VAR_DIR/vapid_public_key and VAR_DIR/vapid_private_key (mode 600), outside the
# repository, like secret_key above. Without keys push is skipped (inbox and e-mail still work)
# and the VAPID key API answers 503. VAPID_SUBJECT is how a push service can reach the operator.
def _vapid_saved(name: str) -> str:
    path = VAR_DIR / f"vapid_{name}"
    return path.read_text().strip() if path.exists() else ""


VAPID_PUBLIC_KEY = env.read_str("VAPID_PUBLIC_KEY", _vapid_saved("public_key"))
VAPID_PRIVATE_KEY = env.read_str("VAPID_PRIVATE_KEY", _vapid_saved("private_key"))
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither.")
VAPID_SUBJECT = env.read_str("VAPID_SUBJECT", "mailto:noreply@localhost")
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(f"VAPID_SUBJECT={VAPID_SUBJECT!r} must be a mailto: or https: URL.")

# --- Reminders: which push services the worker may connect to ----------------------------------
# A browser's push subscription names a URL on its push service; only these hosts are accepted
# at registration and connected to at send time (reminders/push_endpoints.py). Comma-separated:
# `host`, `*.domain` (sub-domains), optionally `:port` / `:*` and an `http://` prefix. A private
# or loopback address is reachable only if an entry names that IP literal.
PUSH_SERVICE_HOSTS = env.read_list(
    "PUSH_SERVICE_HOSTS",
    [
        "fcm.googleapis.com",  # Chrome, Edge, Opera, Samsung Internet
        "updates.push.services.mozilla.com",  # Firefox
        "*.push.services.mozilla.com",
        "*.notify.windows.com",  # Edge (legacy WNS)
        "web.push.apple.com",  # Safari
        "*.push.apple.com",
    ],
)
