"""Settings for the benchmark: the production settings, DEBUG off, on a bench database.

bench/run.py sets BENCH_DATABASE_URL for each database and size it measures.
"""

import os
import warnings

os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-that-is-long-enough-for-the-checks-0123")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from crm.settings import *  # noqa: F403
from crm.settings import ACCOUNT_PANELS, BASE_DIR, DATABASES, TEMPLATES, env

ROOT_URLCONF = "bench.urls"
DATABASES["default"] = env.db("BENCH_DATABASE_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # As crm/settings.py has it: a writer waits for the one before it instead of failing with
    # "database is locked" (bench/sales.py submits orders from several threads).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["ATOMIC_REQUESTS"] = False
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]

# Panels another app is still building (listed in settings, template not written yet) would
# break the account page; measure the page with the panels that exist.
_TEMPLATE_DIRS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
ACCOUNT_PANELS = [p for p in ACCOUNT_PANELS if any((d / p).exists() for d in _TEMPLATE_DIRS)]

# The test client speaks plain HTTP; everything else stays as in production.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The manifest storage needs collectstatic; the plain one renders the same tags.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# Whitenoise warns once per process that STATIC_ROOT was never collected; irrelevant here.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
