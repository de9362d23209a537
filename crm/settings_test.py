"""Test settings: fast hashing, in-memory email, no HTTPS redirects."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-the-checks-0123")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from crm.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = False
# A fresh checkout builds the offline geocoder's index on the first lookup (8 to 25 s): that must
# not run out the budget of a save. Tests of the budget set their own.
GEOCODER_SAVE_BUDGET = 120.0
# A file rather than SQLite's in-memory database, so tests with several threads (people saving
# at the same moment) share one database, as they do in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}  # noqa: F405
