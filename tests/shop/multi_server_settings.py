"""Production settings for the two-app-server test, except for one thing: static file names.

Production's manifest storage refuses to render a page until `collectstatic` has hashed every file
(minutes on a 2-core machine); the test is about sessions, so `{% static %}` just joins paths here.
Everything else (Redis sessions, security settings, the database) is production's.
"""

from shop.settings.production import *  # noqa: F403
from shop.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
