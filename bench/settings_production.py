"""Production settings for the load test and Lighthouse runs on loopback (bench/load.py, bench/lighthouse.sh).

Everything is `shop.settings.production` (DEBUG off, whitenoise's hashed and compressed files,
Redis cache and sessions, the database task queue) except what TLS would give: there is no TLS on
127.0.0.1, so cookies may travel over plain HTTP and HSTS is off. Never use this on a real server.
"""

from shop.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_SSL_REDIRECT = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# No bucket and no nginx here: gunicorn serves MEDIA_ROOT as nginx would (bench/urls.py).
ROOT_URLCONF = "bench.urls"
