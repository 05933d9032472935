"""Local development and the `make run` demo: debug on, console email, a fixed dev key."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Only for a developer's machine: production.py refuses to start without a real key.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEMO_DATA_ALLOWED = True
# `make run` collects static files on every start: gzip only here, brotli in production (shop/storage.py).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "shop.storage.GzipManifestStaticFilesStorage"}}
