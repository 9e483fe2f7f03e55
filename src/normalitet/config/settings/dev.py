"""Demo and development: SQLite in the data directory, a local secret, served on localhost."""

from __future__ import annotations

import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR, STATIC_ROOT

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
WHITENOISE_USE_FINDERS = True


def _local_secret() -> str:
    """A secret kept in the data directory, so sessions survive a restart of the demo."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret()
# WhiteNoise serves from the finders here; an existing STATIC_ROOT keeps it from warning.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The demo keeps the email it would send as files in the data directory.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
