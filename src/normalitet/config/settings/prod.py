"""Production: PostgreSQL from DATABASE_URL, secrets from the environment, HTTPS only."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("NORMALITET_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("NORMALITET_SECRET_KEY must be set in production.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must name the PostgreSQL database in production.")
if not os.environ.get("HEALTH_DATABASE_URL"):
    raise ImproperlyConfigured(
        "HEALTH_DATABASE_URL must name the health service's own PostgreSQL database and role."
    )
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email to visitors through the service's SMTP relay.
EMAIL_HOST = os.environ.get("NORMALITET_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("NORMALITET_SMTP_PORT", "25"))
