"""Test settings: fast hashing, in-memory email, media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403
from .base import FRAGMENT_CACHE, env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="shop-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "thumbnails": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "thumbnails"},
    "fragments": FRAGMENT_CACHE,
}
# Whatever REDIS_URL or TASKS_BACKEND a developer's shell exports, tests stay in-process;
# tests that need Redis or the task queue say so themselves.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEMO_PASSWORD = env("DEMO_PASSWORD", default="test-demo-password")
DEMO_DATA_ALLOWED = True
WHITENOISE_USE_FINDERS = True
# Database rollbacks between tests do not reach the cache: page caching is off unless a test turns it on.
PAGE_CACHE_ENABLED = False
SITE_CHROME_CACHE = False
PAGE_CACHE_LOCAL_SECONDS = 0  # tests of the local copy switch it on
# Fixtures save many images; the tests of cms.renditions switch this on where they need it.
PREGENERATE_RENDITIONS = False
# Whatever SEARCH_URL a shell exports, tests use the embedded search unless a test says otherwise.
SEARCH_URL = ""
