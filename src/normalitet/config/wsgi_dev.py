"""WSGI application for the demo and development server (`normalitet demo`, `normalitet serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "normalitet.config.settings.dev")
application = get_wsgi_application()
