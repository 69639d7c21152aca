"""Travel South settings: one module, every value from the environment with a safe default.

The embedded default (no environment at all, DEBUG=1) runs on a SQLite file under var/, runs Celery
tasks in-process and writes e-mail to files under var/mail/. Production differs only by environment:
DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS and HTTPS (see .env.example).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it in the environment or in .env "
            "(see .env.example), or set DEBUG=1 for a local run."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production-0123456789"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    # Translated content fields (name_en, name_es, name_zh_hans...: docs/languages.md); before the admin,
    # whose forms it extends.
    "modeltranslation",
    "portal.admin_config.PortalAdminConfig",  # django.contrib.admin, with the staff's work queue as its home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "travelsouth",
    "cities",
    "webinars",
    "surveys",
    "partnerships",
    "report",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Cache-Control for signed-in users and Permissions-Policy (travelsouth/security_headers.py).
    "travelsouth.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' public pages from the cache, before sessions and CSRF (travelsouth/pages.py);
    # the pages it stores come out of GZipMiddleware already compressed.
    # ETag on every answer that is not streamed, and 304 for If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "travelsouth.pages.PageCacheMiddleware",
    "travelsouth.pages.HtmlGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "travelsouth.middleware.LocaleMiddleware",
    "travelsouth.input_checks.RefuseUnreadableFormsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # AxesMiddleware must be last: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "travelsouth.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "travelsouth.wsgi.application"
ASGI_APPLICATION = "travelsouth.asgi.application"

# --- Database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'travelsouth.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A persistent connection the database dropped (a restart, a terminated backend) is noticed and
# replaced before the next request or task uses it, instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache when configured; otherwise everything in-process ---------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: with Redis down, reads miss and writes are dropped (travelsouth/cache.py).
            "BACKEND": "travelsouth.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="travelsouth"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Seconds an anonymous visitor's public page stays in the cache at most (0: no page cache). Any
# write the pages show makes the cached pages out of date at once (travelsouth/pages.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# The same for reads kept per data version inside pages that are built (the library's years and
# counts, ``versioned()`` in travelsouth/pages.py); 0: computed on every request.
VERSIONED_READ_SECONDS = env.int("VERSIONED_READ_SECONDS", default=300)

# Celery reads every CELERY_* setting below (see travelsouth/celery.py).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives the unacknowledged messages of a worker that died back after this many seconds: fitted
# to the longest send (INVITATIONS_SEND_LEASE_SECONDS and its grace) rather than an hour, so a killed worker's
# work resumes within a minute. A longer task (a matching run) may be handed out a second time
# meanwhile, which every task here shrugs off (each starts with a conditional claim). No task is
# scheduled with a countdown (due times are database columns, see docs/architecture.md). The socket
# timeouts keep a request from hanging on a broker that does not answer.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=45),
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
# Retrying a publish to a broker that is down costs the request about half a second, once
# (travelsouth/queueing.py stops trying for a few seconds after a failure).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = "UTC"
# Beat's scheduler touches a heartbeat file on every tick, which the container health check reads
# (travelsouth/health.py): a beat that stops ticking for BEAT_HEARTBEAT_MAX_AGE seconds is unhealthy.
CELERY_BEAT_SCHEDULER = "travelsouth.beat:HeartbeatScheduler"
BEAT_HEARTBEAT_FILE = env.path("BEAT_HEARTBEAT_FILE", default=VAR_DIR / "celerybeat-heartbeat")
BEAT_HEARTBEAT_MAX_AGE = env.int("BEAT_HEARTBEAT_MAX_AGE", default=60)
# The one place periodic jobs are scheduled. They have a queue of their own, which every worker also
# consumes (Celery takes turns between queues): behind a backlog of sends in the default queue they
# would expire unrun, and the recovery they do would wait for the backlog.
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery", routing_key="celery"), Queue("periodic", routing_key="periodic")]
CELERY_TASK_ROUTES = {
    "partnerships.dispatch_invitations": {"queue": "periodic"},
    "partnerships.recover_matching_runs": {"queue": "periodic"},
    "partnerships.purge_invitation_personal_data": {"queue": "periodic"},
}

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # allauth's, refusing unverified secondary addresses (travelsouth/accounts.py).
    "travelsouth.accounts.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "officials:dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env.bool("HTTPS", default=False) else "http"
# Per account, login throttling is django-axes' job (below). allauth counts failed logins per client
# address only, against password spraying (many accounts tried from one address); its other limits
# (sign-up, e-mails) stay at their defaults. Both see the client address of travelsouth/client_ip.py.
ACCOUNT_RATE_LIMITS = {"login_failed": env.str("LOGIN_FAILED_PER_IP_RATE", default="20/15m/ip")}
ACCOUNT_ADAPTER = "travelsouth.accounts.AccountAdapter"
# Only verified addresses belong to an account: an address of another account cannot be added, an
# unverified claim does not block its owner's sign-up, and resets go to verified addresses only.
ACCOUNT_FORMS = {
    "signup": "travelsouth.accounts.SignupForm",
    "add_email": "travelsouth.accounts.AddEmailForm",
    "reset_password": "travelsouth.accounts.ResetPasswordForm",
}
# Every e-mail's subject starts with it: allauth's, the invitations' (partnerships/invitations/emails.py)
# and Django's to the admins.
EMAIL_SUBJECT_PREFIX = "[Travel South] "
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
# Confirming the address in the browser that signed up logs the new official in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_DISPLAY = "travelsouth.accounts.user_display"

# Locks the account, whatever address the attempts come from (behind the proxy every address would
# otherwise be the proxy's), for a fixed cool-off: attempts during the lockout do not extend it, so
# the owner gets in once it has passed.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours: the lockout expires
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "travelsouth.client_ip.axes_client_ip"
# axes.W006 asks for ip_address among the lockout parameters: the per-address limit is allauth's
# login_failed above (a higher one, so that one office behind one address is not locked out by a
# colleague's typos), and a lockout by (username, address) is what let anyone lock anyone out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# security.W021 asks for HSTS preloading: it is the operator's choice (SECURE_HSTS_PRELOAD=1), below.
SILENCED_SYSTEM_CHECKS += ["security.W021"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "login"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_USERNAME_CALLABLE = "travelsouth.accounts.axes_username"

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh-hans", _("Simplified Chinese")),
]
# A further language is settings, a migration and a catalogue (docs/languages.md): EXTRA_LANGUAGES=pt adds
# Portuguese to the interface and a column per translated field (named as Django names the language).
LANGUAGES += [
    (code, _(LANG_INFO[code]["name"]))
    for code in env.list("EXTRA_LANGUAGES", default=[])
    if code not in {known for known, _name in LANGUAGES}
]
# Translated content (django-modeltranslation): the base column keeps the English or original text, and
# a text missing in the visitor's language falls back to English, then to any language that has it.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": tuple(code for code, _name in LANGUAGES)}
# A further language's catalogue may live outside the repository (EXTRA_LOCALE_PATHS, first: it wins).
LOCALE_PATHS = [*env.list("EXTRA_LOCALE_PATHS", default=[]), BASE_DIR / "locale"]
# Formats that differ from Django's: digit grouping in Chinese (travelsouth/formats/).
FORMAT_MODULE_PATH = ["travelsouth.formats"]
# The language menu's choice is remembered for a year (portal.views.language_choose); on a first visit
# the home page / follows the browser's Accept-Language (travelsouth.middleware).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env.bool("HTTPS", default=False)
# Addresses outside i18n_patterns, in the language the visitor or client asks for (travelsouth.middleware):
# ?lang=, then the language cookie, then Accept-Language.
UNPREFIXED_PAGE_PATHS = ("/admin/", "/api/")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Behind docker-compose.yml's proxy (deploy/Caddyfile) static files are served by Caddy.
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Uploaded files (agreements' PDFs) --------------------------------------------------------------
# Under MEDIA_ROOT by default (a named volume in docker-compose.yml). They are never served as static
# files: each download goes through a view that checks who may read it. S3-compatible storage is an
# option (django-storages, `pip install "django-storages[s3]"`): set AWS_STORAGE_BUCKET_NAME and the
# other AWS_* variables of .env.example in the environment.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"  # never routed: neither the app nor the proxy serves MEDIA_ROOT
AGREEMENT_MAX_BYTES = env.int("AGREEMENT_MAX_BYTES", default=5 * 1024 * 1024)
_S3_BUCKET = env("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _S3_BUCKET,
                "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
                "region_name": env("AWS_S3_REGION_NAME", default=None),
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if _S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------------
# EMAIL_URL examples: smtp+tls://user:password@smtp.example.org:587, consolemail://, filemail://
_email = env.email_url("EMAIL_URL", default="filemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Travel South <no-reply@travelsouth.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Seconds each SMTP step may take (connect, each command, the message).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Security: HTTPS=1 in production turns on every transport protection --------------------------
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
if HTTPS:
    # __Host-: the browser keeps these cookies only when Secure, for this host and path "/" alone.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is hard to undo (browsers ship the list): only when the operator opts in.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# One trusted proxy (Caddy) in front: its X-Forwarded-Proto and the last X-Forwarded-For entry are
# believed, for axes, allauth and the API alike (travelsouth/client_ip.py); without it, neither.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from the portal itself only;
# no inline script or style anywhere (the API's documentation pages, which are a library's, relax
# style-src for themselves in travelsouth/urls.py). A page that needs an inline script gives it
# nonce="{{ request.csp_nonce }}".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}

# --- REST framework -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Travel South API",
    "DESCRIPTION": 'Open data from the UNOSSC Cities Project webinar series "Travel South Over Cloud".',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Read API under /api/v1/ (travelsouth/api/, docs/api.md) --------------------------------------
REST_FRAMEWORK |= {
    "DEFAULT_SCHEMA_CLASS": "travelsouth.api.schema.ApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "travelsouth.api.authentication.PartnerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "travelsouth.api.throttling.AnonymousRateThrottle",
        "travelsouth.api.throttling.PartnerRateThrottle",
    ],
    # Counted in the default cache: Redis when REDIS_URL is set, shared by every worker.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/minute"),
        "partner": env.str("API_PARTNER_RATE", default="1200/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "travelsouth.api.negotiation.ApiContentNegotiation",
    "EXCEPTION_HANDLER": "travelsouth.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS |= {
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

# --- Logging --------------------------------------------------------------------------------------
# LOG_FORMAT=json (docker-compose.yml) writes one JSON object per line on stdout, for Django, the
# Celery worker and beat (which keep this configuration rather than their own) and gunicorn.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "[%(asctime)s: %(levelname)s/%(processName)s] %(name)s: %(message)s"},
        "json": {"()": "travelsouth.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Domain settings (defaults; staff-changeable values live in the database) ---------------------
REPORT_DATA_DIR = BASE_DIR / "data" / "report"

# --- Invitations (partnerships/invitations, docs/invitations.md) -----------------------------------
# Delivery machinery only; the reminder and expiry values staff set live in InvitationSettings. The
# defaults are production's: a killed worker's sends resume within a minute (docs/invitations.md).
# How often the beat job sends what is due, re-queues lost messages and recovers stuck sends.
INVITATIONS_DISPATCH_SECONDS = env.float("INVITATIONS_DISPATCH_SECONDS", default=5)
# A pending invitation queued this long ago and still pending is queued again (lost broker message),
# unless the broker's queue is long enough to still hold it.
INVITATIONS_REQUEUE_AFTER_SECONDS = env.int("INVITATIONS_REQUEUE_AFTER_SECONDS", default=30)
# A worker sending an invitation holds it this long. A real send takes well under a second: about ten
# SMTP steps, each cut off after EMAIL_TIMEOUT; one still going after the lease is overtaken safely
# (its hand-over is refused). A run-out lease gets a grace period before the row is returned.
INVITATIONS_SEND_LEASE_SECONDS = env.int("INVITATIONS_SEND_LEASE_SECONDS", default=30)
INVITATIONS_LEASE_GRACE_SECONDS = env.int("INVITATIONS_LEASE_GRACE_SECONDS", default=10)
# A send task claims its invitation and up to this many due ones in all, and hands them to the mail
# server together: one SMTP connection each, and one durable commit for the whole batch's hand-over.
INVITATIONS_SEND_BATCH = env.int("INVITATIONS_SEND_BATCH", default=20)
# Failed tries (the mail server refusing, or out of reach): backoff with jitter from the base, capped,
# for a day from the first failure; then the row is failed and staff can send it again.
INVITATIONS_RETRY_FOR_SECONDS = env.int("INVITATIONS_RETRY_FOR_SECONDS", default=24 * 3600)
INVITATIONS_RETRY_BASE_SECONDS = env.int("INVITATIONS_RETRY_BASE_SECONDS", default=60)
INVITATIONS_RETRY_MAX_SECONDS = env.int("INVITATIONS_RETRY_MAX_SECONDS", default=3600)
CELERY_BEAT_SCHEDULE["partnerships.dispatch_invitations"] = {
    "task": "partnerships.dispatch_invitations",
    "schedule": INVITATIONS_DISPATCH_SECONDS,
    # A tick that waited for a worker longer than one period is skipped: the next one does its work.
    "options": {"expires": INVITATIONS_DISPATCH_SECONDS},
}

# Retention: invitations that are over keep the address they went to, the answer's note and details
# for this many months, then the daily job clears them (partnerships/invitations/retention.py).
INVITATION_RETENTION_MONTHS = env.int("INVITATION_RETENTION_MONTHS", default=24)
CELERY_BEAT_SCHEDULE["partnerships.purge_invitation_personal_data"] = {
    "task": "partnerships.purge_invitation_personal_data",
    "schedule": 24 * 3600,
    "options": {"expires": 3600},
}

# --- Matching runs (partnerships/matching/liveness.py, docs/matching.md) ---------------------------
# A running run beats this often; one silent for MATCHING_INTERRUPTED_AFTER_SECONDS is marked
# interrupted by the beat (every MATCHING_RECOVERY_SECONDS), so within two minutes of its last beat.
MATCHING_HEARTBEAT_SECONDS = env.float("MATCHING_HEARTBEAT_SECONDS", default=15)
MATCHING_INTERRUPTED_AFTER_SECONDS = env.int("MATCHING_INTERRUPTED_AFTER_SECONDS", default=90)
MATCHING_RECOVERY_SECONDS = env.float("MATCHING_RECOVERY_SECONDS", default=20)
# A full run still queued this long after it was queued is queued again (its message was lost).
MATCHING_REQUEUE_AFTER_SECONDS = env.int("MATCHING_REQUEUE_AFTER_SECONDS", default=60)
# A full run is stopped after MATCHING_RUN_TIME_LIMIT_SECONDS (soft: the run checks it between its
# steps, and Celery raises SoftTimeLimitExceeded in the task; either way it ends failed, nothing
# written); a task still going MATCHING_RUN_HARD_TIME_LIMIT_SECONDS after it started is killed (its
# heartbeat stops, and the beat marks the run interrupted). 100,000 cities take about two minutes.
MATCHING_RUN_TIME_LIMIT_SECONDS = env.int("MATCHING_RUN_TIME_LIMIT_SECONDS", default=3600)
MATCHING_RUN_HARD_TIME_LIMIT_SECONDS = env.int(
    "MATCHING_RUN_HARD_TIME_LIMIT_SECONDS", default=MATCHING_RUN_TIME_LIMIT_SECONDS + 120
)
CELERY_BEAT_SCHEDULE["partnerships.recover_matching_runs"] = {
    "task": "partnerships.recover_matching_runs",
    "schedule": MATCHING_RECOVERY_SECONDS,
    "options": {"expires": MATCHING_RECOVERY_SECONDS},
}
# A full run every night reconciles what the day's one-city refreshes left (docs/matching.md,
# "Order independence"), at this hour UTC.
MATCHING_NIGHTLY_HOUR = env.int("MATCHING_NIGHTLY_HOUR", default=3)
CELERY_BEAT_SCHEDULE["partnerships.nightly_matching_run"] = {
    "task": "partnerships.nightly_matching_run",
    "schedule": crontab(minute=17, hour=MATCHING_NIGHTLY_HOUR),
    "options": {"expires": 3600},
}
