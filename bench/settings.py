"""Settings for bench/trace.py: the development settings with debug off, as a server would run.

The whole-page cache for cookie-less visitors (cms.cache) is off unless PAGE_CACHE_ENABLED=true,
so the figures measure the pages themselves.
"""

from shop.settings.dev import *  # noqa: F403
from shop.settings.dev import env

DEBUG = False
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=False)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
