"""Base settings, read from the environment (django-environ).

With no environment at all the portal runs on the embedded defaults: a SQLite
file in the project, Celery tasks executed eagerly, e-mails on the console.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .object_storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The embedded default key is only good for local runs; production.py refuses it.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-only-for-local-runs-of-ami-portal")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "ami_portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "corsheaders",
    # django-ninja's templates and static files: its vendored Swagger UI (no CDN).
    "ninja",
    # project apps
    "accounts",
    "cities",
    "applications",
    "reviews",
    "notifications",
    "public",
    "network",
    "api",
]

MIDDLEWARE = [
    # First of all: stamps request.arrived_at, the instant deadlines are judged at (ami_portal/arrival.py).
    "ami_portal.arrival.RequestArrivalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # CORS headers on the public API only (CORS_URLS_REGEX below), before CommonMiddleware.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Slides a logged-in session's expiry every few minutes instead of on every request (ami_portal/sessions.py).
    "ami_portal.sessions.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every page that may hold personal data (ami_portal/middleware.py).
    "ami_portal.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ami_portal.urls"
WSGI_APPLICATION = "ami_portal.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Persistent database connections (issue 13, speed) ---
# A new PostgreSQL connection per request costs a few milliseconds and a backend process; keep it open for
# CONN_MAX_AGE seconds (default 60 when DATABASE_URL is set, 0 for the embedded SQLite file) and check it is alive
# before reusing it, so a database restart costs one failed check, not a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if env.str("DATABASE_URL", default="") else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# --- end persistent connections ---

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's model backend with the address normalised and one password hash on every attempt.
    "accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "applications:home"
LOGOUT_REDIRECT_URL = "home"

# Sessions expire after 8 hours of inactivity and with the browser. The expiry slides when the session was saved
# SESSION_REFRESH_INTERVAL seconds ago or more, not on every request (ami_portal/sessions.py, issue 13).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_REFRESH_INTERVAL = env.int("SESSION_REFRESH_INTERVAL", default=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Log-in throttling (django-axes), policy in accounts/README.md: 5 failures lock the (address, IP) pair for
# 30 minutes after the last failure, on the site and the admin log-in alike.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Both log-in forms (site and admin) post the address as "username"; axes would otherwise read USERNAME_FIELD
# ("email"), record every failure under no name and never lock the account out.
AXES_USERNAME_FORM_FIELD = "username"
# Failures are counted under the normalised address: "MAIRE@x.fr", " maire@X.fr" and "maire@x.fr" are one key.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (favicon.ico), served there by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "site_root"
# Uploaded files are private (ami_portal/storage.py): stored outside any URL space, streamed by permission-checking
# views. On the local disk by default; in an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (several web
# nodes and workers then share them).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": (
        s3_storage(
            bucket_name=AWS_STORAGE_BUCKET_NAME,
            endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            region_name=env.str("AWS_S3_REGION_NAME", default="") or None,
            access_key=env.str("AWS_ACCESS_KEY_ID", default="") or None,
            secret_key=env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            location=env.str("AWS_LOCATION", default=""),
            addressing_style=env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        )
        if AWS_STORAGE_BUCKET_NAME
        else {
            "BACKEND": "ami_portal.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        }
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: with no broker configured tasks run eagerly in the request process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None) or None
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not (REDIS_URL or env.str("CELERY_BROKER_URL", default=""))
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# An unacknowledged task (worker killed) is handed to another worker after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker of `make run` without Redis: a folder of messages shared by the web process, one worker
    # and the beat, so wave closing, reminders and publication run on time through the production code paths.
    _BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / ".run" / "broker")))
    _BROKER_FOLDER.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_FOLDER),
        "data_folder_out": str(_BROKER_FOLDER),
        "store_processed": False,
        "control_folder": str(_BROKER_FOLDER / "control"),
    }

# --- Outages (issue 12): a Redis or broker outage degrades, it never fails or blocks a request -------------------
# The cache is a convenience: Redis errors are logged and read as a miss (ami_portal/cache.py), with short socket
# timeouts. Sessions are stored in the database (Django's default SESSION_ENGINE), never in Redis.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
CACHES = {
    "default": (
        {
            "BACKEND": "ami_portal.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_SOCKET_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Public pages and open data for anonymous visitors are cached (public/page_cache.py), keyed on the publication
# state and expiring at the next instant they change by themselves; this is their longest life (0 = no cache).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)
# Commune and EPCI search answers kept by each web process (cities/views.py); 0 turns the memo off.
SEARCH_ANSWER_CACHE_SECONDS = env.int("SEARCH_ANSWER_CACHE_SECONDS", default=600)
# The browser may keep a public page this long at most, never past its next change (publication, deadline).
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=60)
PUBLIC_PAGE_CACHE_PREFIX = "public-page"
PUBLIC_PAGE_CACHE_MAX_BYTES = 5 * 1024 * 1024
# Enqueueing after commit must not hold the request when the broker is down: one short connection attempt, no
# publish retries (notifications.services.enqueue_sending logs the failure; the outbox sweep sends the row later).
# No task result is ever read (the outbox row is the result): storing none also spares the request the result
# backend's own reconnection loop (about 20 s with Redis down).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    socket_connect_timeout=REDIS_SOCKET_TIMEOUT,
    socket_timeout=env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
    max_retries=0,
)
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
# PostgreSQL unreachable: fail fast and answer a French 503 page with Retry-After (ami_portal/errors.py) instead
# of hanging until gunicorn kills the worker (30 s). connect_timeout bounds a new connection (in seconds);
# statement_timeout a query (in ms, 0 = none: e.g. DATABASE_STATEMENT_TIMEOUT=0 for a long migration);
# tcp_user_timeout and keepalives detect a black-holed established connection (ms / seconds).
# jit=off: the admin's counts and rankings are many small correlated subqueries whose *estimated* cost crosses
# PostgreSQL's JIT threshold; compiling them took ~300 ms for a query that runs in 5 ms (EXPLAIN ANALYZE on the
# bench data, issue 13). Short web queries never win from JIT, so it is off for this application's connections.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=env.int("DATABASE_CONNECT_TIMEOUT", default=3),
        options=f"-c statement_timeout={env.int('DATABASE_STATEMENT_TIMEOUT', default=20000)} -c jit=off",
        tcp_user_timeout=env.int("DATABASE_TCP_USER_TIMEOUT", default=10000),
        keepalives=1,
        keepalives_idle=30,
        keepalives_interval=10,
        keepalives_count=3,
    )
DATABASE_UNAVAILABLE_RETRY_AFTER = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER", default=30)
MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "ami_portal.errors.DatabaseUnavailableMiddleware")
# --- end of the outage block ----------------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # `make run` writes each e-mail to a file there (filemail:// URLs lose the leading slash of a path).
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / ".run" / "mail"))
# Seconds an SMTP socket operation may block; OUTBOX_SENDING_TIMEOUT must stay well above it, since a row
# SENDING for longer is considered abandoned by a dead worker and is sent again (see notifications/README.md).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
OUTBOX_SENDING_TIMEOUT = env.int("OUTBOX_SENDING_TIMEOUT", default=600)
OUTBOX_MAX_RETRIES = env.int("OUTBOX_MAX_RETRIES", default=6)
# A READY e-mail this many seconds old whose task never ran (broker down at commit) is sent by the sweep.
OUTBOX_UNSENT_GRACE = env.int("OUTBOX_UNSENT_GRACE", default=60)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AMI Au cœur des territoires <ami@cnam.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content-Security-Policy (django-csp 4): no inline script, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Request arrival, the instant deadlines are judged at (issue 13, speed; ami_portal/arrival.py) ---
# Trust the front proxy's X-Request-Start header (nginx: proxy_set_header X-Request-Start "t=${msec}";) only when
# the portal is reachable through that proxy alone and the proxy overwrites the header a client may send.
TRUST_PROXY_REQUEST_START = env.bool("TRUST_PROXY_REQUEST_START", default=False)
# An arrival more than this many seconds before the server's own clock is not trusted: the server's time is used.
REQUEST_ARRIVAL_MAX_AGE = env.int("REQUEST_ARRIVAL_MAX_AGE", default=60)
# --- end request arrival ---

# Attachments
ATTACHMENT_MAX_FILE_SIZE = env.int("ATTACHMENT_MAX_FILE_SIZE", default=10 * 1024 * 1024)
ATTACHMENT_MAX_DOSSIER_SIZE = env.int("ATTACHMENT_MAX_DOSSIER_SIZE", default=50 * 1024 * 1024)
# Dossier pages show the deadline of the wave a draft aims for once it closes within this many days.
DEADLINE_BANNER_DAYS = env.int("DEADLINE_BANNER_DAYS", default=14)

# A co-editor invitation link works once, for this many days after it was sent.
INVITATION_VALIDITY_DAYS = env.int("INVITATION_VALIDITY_DAYS", default=14)

# Personal data of closed campaigns is purged after this many days.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=3 * 365)

# Where screenshots of browser tests are written (CI artefacts).
ARTIFACTS_DIR = Path(env.str("ARTIFACTS_DIR", default=str(BASE_DIR / "artifacts")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Review disagreement and calibration (issue 14; reviews/README.md, "Disagreement" and "Calibration") ---
# A dossier whose completed reviews' scores differ by more than this many points out of 20 is flagged.
REVIEW_DISAGREEMENT_SPREAD = env.float("REVIEW_DISAGREEMENT_SPREAD", default=4.0)
# A reviewer's offset corrects the calibrated score once they have completed this many reviews in the campaign.
REVIEW_CALIBRATION_MIN_REVIEWS = env.int("REVIEW_CALIBRATION_MIN_REVIEWS", default=3)
# --- end review disagreement and calibration ---

# --- Staff single sign-on through OpenID Connect (issue 17; README "Single sign-on (staff)", accounts/sso/) ---
# Off unless the issuer, client id and client secret are all set. The endpoints are read from the issuer's
# /.well-known/openid-configuration (cached for an hour in each process). mozilla-django-oidc does the flow:
# authorization code with PKCE (S256), state and nonce kept in the session, ID token signature checked on the JWKS.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
# The claim whose values SsoRoleMapping maps to roles and régions (a list of strings, or one string).
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5.0)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the provider's log-out needs it (id_token_hint)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "accounts.sso.middleware.SsoFormActionMiddleware"
)
# --- end single sign-on ---

# --- The read API (issue 17; api/, README "API") ---
# Public endpoints are open data: any origin may read them (GET, no credentials). Nothing else gets CORS headers.
CORS_URLS_REGEX = r"^/api/v1/public/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
# Requests per client address without a token, and per token (ninja's rate format: N/s, N/min, N/h, N/day).
API_RATE_LIMITS = {
    "anonymous": env.str("API_ANONYMOUS_RATE", default="60/min"),
    "token": env.str("API_TOKEN_RATE", default="300/min"),
}
# Without a proxy in front, the client address is REMOTE_ADDR (X-Forwarded-For is not trusted); behind N proxies
# that append to X-Forwarded-For, set API_NUM_PROXIES=N.
NINJA_NUM_PROXIES = env.int("API_NUM_PROXIES", default=0)
# --- end read API ---
