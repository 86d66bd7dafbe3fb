"""Buurtnet settings. Everything that differs between installations comes from the environment."""

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from buurtnet.core import languages as _languages
from buurtnet.core.filemodes import private_directory
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("BUURTNET_DATA_DIR", str(BASE_DIR / "data"))).resolve()
private_directory(DATA_DIR)  # private: it holds the database, the key and the photos


def _secret_key() -> str:
    """Use SECRET_KEY when set; otherwise generate one once and keep it in the data directory."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where links start when no request is at hand: emails, tasks, the `invites` command. Pages and
# downloads use the address they were asked on. Unset, it is where `buurtnet serve` (`make run`)
# listens: HOST and PORT, a host of 0.0.0.0 or :: (every address) read as 127.0.0.1.
SITE_URL = (
    env_str("SITE_URL").strip()
    or "http://{}:{}".format(
        (
            "127.0.0.1"
            if (_host := env_str("HOST", "127.0.0.1").strip().strip("[]")) in ("", "::", "0.0.0.0")  # noqa: S104
            else (f"[{_host}]" if ":" in _host else _host)
        ),
        env_int("PORT", 8000),
    )
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "buurtnet.core",
    "buurtnet.people",
    "buurtnet.notifications",
    "buurtnet.neighbourhoods",
    "buurtnet.conversations",
    "buurtnet.initiatives",
    "buurtnet.activities",
    "buurtnet.sharing",
    "buurtnet.moderation",
    "buurtnet.front",
    "buurtnet.media",
    "buurtnet.translations",
    "buurtnet.funding",
    "buurtnet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and feeds are compressed here, below WhiteNoise, which sends static files compressed
    # ahead of time (.br and .gz, see STORAGES), and above everything that writes the body.
    "buurtnet.core.middleware.TextGZipMiddleware",
    # Above sessions and CSRF, so that it sees the cookies they set (see the middleware).
    "buurtnet.core.middleware.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "buurtnet.core.languages.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, with the signed-in person's row kept in the cache.
    "buurtnet.people.signed_in.SignedInMiddleware",
    "buurtnet.people.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["buurtnet.core.templatetags.bidi"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "buurtnet.core.context_processors.site",
                "buurtnet.notifications.context_processors.unread",
                "buurtnet.neighbourhoods.context_processors.current",
            ],
        },
    },
]

# Database: embedded SQLite (WAL) in the data directory unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'buurtnet.sqlite3'}")
# Each gunicorn worker (and the task worker) keeps its connection for DB_CONN_MAX_AGE seconds
# instead of opening one per request (on PostgreSQL a TCP and authentication round trip, on SQLite
# the PRAGMAs below). The health check asks a reused connection whether it still works at the
# start of each request, so a restarted database costs no failed request. 0 closes after each.
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 600)
if DB_CONN_MAX_AGE < 0:
    raise ImproperlyConfigured("DB_CONN_MAX_AGE must be 0 or more seconds")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # The embedded set-up runs several gunicorn workers on one machine: a cache in files is shared
    # by all of them (a local-memory cache would count rate limits per process).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "buurtnet.people.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: after AXES_FAILURE_LIMIT failures for one account from one address,
# further attempts are refused for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
# The interface languages, Dutch first. Somali and Tigrinya are not in Django's LANG_INFO: see
# buurtnet.core.languages. A browser asking only for languages not listed here gets English.
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("fa", _("Persian")),
    ("bg", _("Bulgarian")),
]
FALLBACK_LANGUAGE_CODE = "en"
_languages.add_missing_language_info()
# Optional machine translation: the address of a LibreTranslate server (and its key, if it wants
# one). Without it, readers see only translations written by neighbours.
TRANSLATION_URL = env_str("TRANSLATION_URL").rstrip("/")
TRANSLATION_API_KEY = env_str("TRANSLATION_API_KEY")
# locale/ first: its translations win. locale_django/ holds Django's own strings (form errors,
# month names) for the languages Django ships none for, Somali and Tigrinya.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Date and number formats for those two; every other language keeps Django's own.
FORMAT_MODULE_PATH = ["buurtnet.core.formats"]
LANGUAGE_COOKIE_NAME = "buurtnet_language"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded photos are served by buurtnet.media after it checks who may see them. Who then sends
# the bytes: the app itself (empty), nginx ("nginx": X-Accel-Redirect to MEDIA_ACCEL_PREFIX, an
# `internal` location aliased to MEDIA_ROOT) or a server that reads X-Sendfile ("apache").
MEDIA_ACCEL = env_str("MEDIA_ACCEL").strip().lower()
if MEDIA_ACCEL not in ("", "nginx", "apache", "sendfile"):
    raise ImproperlyConfigured(
        f"MEDIA_ACCEL must be empty, nginx, apache or sendfile, got {MEDIA_ACCEL!r}"
    )
MEDIA_ACCEL = "sendfile" if MEDIA_ACCEL == "apache" else MEDIA_ACCEL
MEDIA_ACCEL_PREFIX = env_str("MEDIA_ACCEL_PREFIX", "/protected-media/")
if not (MEDIA_ACCEL_PREFIX.startswith("/") and MEDIA_ACCEL_PREFIX.endswith("/")):
    raise ImproperlyConfigured(
        f"MEDIA_ACCEL_PREFIX must start and end with '/', got {MEDIA_ACCEL_PREFIX!r}"
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes each file's hashed name and a .gz copy, and a .br copy because the
    # Brotli package is installed; WhiteNoise sends whichever the browser accepts.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Buurtnet <buurtnet@localhost>")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A task still running after this many seconds is taken for one whose worker died, and is queued
# again (see buurtnet/core/stale_tasks.py): longer than any task takes, mail sending included.
TASKS_STALE_AFTER = env_int("TASKS_STALE_AFTER", 600)
if TASKS_STALE_AFTER < 1:
    raise ImproperlyConfigured("TASKS_STALE_AFTER must be at least 1 second")
# Mail goes out from tasks: a mail server that stops answering must not hold a worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# HTTPS=true: the site is reached over HTTPS only, through a proxy that terminates TLS and sets
# X-Forwarded-Proto. It turns on secure cookies, the redirect to HTTPS and HSTS.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS or env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A load balancer's health check may ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
# How many proxies in front of the app append to X-Forwarded-For (nginx, Caddy, a load balancer).
# The client's address is the entry that the outermost trusted proxy added; with 0 it is the
# address of the connection itself. Login lockouts and rate limits count per client address.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "buurtnet.core.clientip.client_ip"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: scripts, styles and images only from this site's own files, no
# inline script or style and no eval (htmx is configured for that in base.html), forms post only
# here, and no framing, <base> or plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Sessions are read from the cache (files shared by the workers, or Redis) and written to both:
# a request saves the session query. `buurtnet restore` empties the cache, because a session left
# there would outlive the database it came from.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

FORM_RENDERER = "buurtnet.core.forms.FormRenderer"
CSRF_FAILURE_VIEW = "buurtnet.core.views.csrf_failure"
