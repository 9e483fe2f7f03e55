"""Tests: SQLite unless DATABASE_URL names PostgreSQL; fast hashing."""

from __future__ import annotations

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("DATABASE_URL"):
    # Two in-memory databases: the health service's data never shares the main one.
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        "health": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    }
AXES_ENABLED = True
# Tests read messages in English; the Norwegian catalogue is checked for completeness apart.
LANGUAGE_CODE = "en"
