"""Settings for the CRM, read from the environment (see .env.example)."""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# A development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-only-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
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
    "django_filters",
    "django_countries",
    "import_export",
    "csp",
    "axes",
    "common",
    "users",
    "accounts",
    "sales",
    "maps",
    "activities",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and every view: a NUL would reach PostgreSQL through any of them.
    "common.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (it reads the language cookie and Accept-Language), before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # The language a signed-in user chose wins over the cookie and the browser's.
    "users.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: an empty 405 becomes a page in the user's language, and the middleware above
    # still add their headers (CSP, X-Frame-Options) to it and settle its messages.
    "common.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

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
                # LANGUAGES with the names as settings writes them, each in its own language.
                "django.template.context_processors.i18n",
            ],
            # Every template translates and shows money, so neither needs a {% load %}.
            "builtins": ["django.templatetags.i18n", "common.templatetags.money"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one writer in at a time. A deferred transaction that reads and then writes
    # fails at once with "database is locked" when another writer got in first (22 of 32
    # simultaneous orders did); IMMEDIATE takes the write lock at BEGIN and waits for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A runaway query (a search of a thousand words took minutes) must not hold a web worker and
    # a connection. Management commands run without it: migrate builds indexes over millions of
    # rows, and an admin who starts a long job means it. 0 switches it off.
    _command = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
    _statement_timeout_ms = 0 if _command else env.int("DB_STATEMENT_TIMEOUT_MS", default=15_000)
    if _statement_timeout_ms:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = (
            f"{_options.get('options', '')} -c statement_timeout={_statement_timeout_ms}".strip()
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    # Axes must come first, or a locked-out user still gets in.
    "axes.backends.AxesStandaloneBackend",
    "users.backends.EmailOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "activities:my_work"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# Email and username must share one failure counter, or the lock-out can be walked around.
AXES_USERNAME_CALLABLE = "users.backends.canonical_username"
# Lock a login name from one address: an IP alone would lock out a whole office behind one proxy,
# a username alone would let anyone lock out a colleague. And an address across all login names,
# at a higher limit, so one guesser cannot try ten passwords on every colleague. Axes has one
# limit; users.throttling's handler gives each parameter its own.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_HANDLER = "users.throttling.LoginThrottleHandler"
# Behind proxies every client has the proxy's address. X-Forwarded-For is trusted for exactly
# this many proxies (the ones we run); 0 ignores it, since a client can write anything there.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "users.throttling.client_ip_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# English unless the user chose otherwise (users.User.language) or the browser asks for Dutch.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
# No thousands separator by default: Django would then write every number in a template with
# one, ids in links and form values too ("?customer=1,234"). Amounts and counts group their
# digits where they are shown: common.money, intcomma, floatformat:"2g", FiniteDecimalField.
USE_THOUSAND_SEPARATOR = False
# Our adjustments to Django's date formats per language (common/formats/<locale>/formats.py).
FORMAT_MODULE_PATH = ["common.formats"]
# The currency every amount is shown in (ISO 4217 code), by common.money.
CURRENCY = env("CURRENCY", default="EUR")
# The country (ISO 3166 code) a phone number without its country code is read as (common.search).
PHONE_REGION = env("PHONE_REGION", default="NL")

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet and its clustering plugin for the maps come from packages, never a CDN.
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "common.staticfiles.ManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# Security: strict unless DEBUG, so `manage.py check --deploy` passes in production.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Trust X-Forwarded-Proto only behind a proxy that sets it; otherwise a client could claim HTTPS.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# The CSP lets map tiles load from the configured server only; "{s}" subdomains become "*".
_tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}"

# Geocoding of visit addresses: "offline" (GeoNames cities, no network) or "nominatim".
GEOCODER = env("GEOCODER", default="offline")
# Nominatim's policy asks for an application name with a contact address.
NOMINATIM_USER_AGENT = env("NOMINATIM_USER_AGENT", default="")
NOMINATIM_DOMAIN = env("NOMINATIM_DOMAIN", default="nominatim.openstreetmap.org")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=5.0)
# How long a save waits for its visit address to be located (seconds); a slower service leaves it
# for `manage.py geocode_accounts`, which waits GEOCODER_TIMEOUT.
GEOCODER_SAVE_BUDGET = env.float("GEOCODER_SAVE_BUDGET", default=2.0)
# Where the offline geocoder keeps the city index it builds on first use.
GEOCODER_CACHE_DIR = env.path("GEOCODER_CACHE_DIR", default=BASE_DIR / ".cache")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", MAP_TILE_ORIGIN],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Exported CSV cells that a spreadsheet would run as formulae are escaped; the import undoes it
# (accounts/formulae.py, accounts.resources.FormulaSafeCSV).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# The Microsoft CRM 4 record of an imported account: {id} is the account's CRM4 id (IK).
CRM4_RECORD_URL = env(
    "CRM4_RECORD_URL",
    default="http://crm4.internal/Logic/sfa/accts/edit.aspx?id={id}",
)

# Logs go to standard output, where a process manager or container runtime collects them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
}

# Templates other apps contribute to the account page, in order: buttons in its header, beside
# Edit, and panels below.
ACCOUNT_ACTIONS: list[str] = ["maps/includes/account_action.html"]
ACCOUNT_PANELS: list[str] = [
    "sales/includes/account_panel.html",
    "activities/includes/timeline_panel.html",
]
# Templates other apps contribute to the page confirming a removal, by the model removed: each
# says what of theirs uses the object and what happens to it.
CONFIRM_DELETE_PANELS: dict[str, list[str]] = {
    "accounts.contact": [
        "sales/includes/contact_delete_panel.html",
        "users/includes/contact_delete_panel.html",
        "activities/includes/contact_delete_panel.html",
    ],
    "accounts.address": ["sales/includes/address_delete_panel.html"],
}
