"""WSGI entry point, for gunicorn: `gunicorn staffing.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings")
application = get_wsgi_application()
