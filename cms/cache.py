"""Whole-page cache for visitors without a session, basket or message cookie.

A cached page is the same for every such visitor, so it is served from Django's cache without
touching the database. Entries carry a version number; publishing a page, changing a price, stock,
product or a site setting bumps it (cms.signals), so every cached page is dropped at once. The
version and the entry are read in one round trip (`versioned_get`). Entries also expire after
PAGE_CACHE_SECONDS.

Each app server process also keeps the entries it served last and the version it last read for
PAGE_CACHE_LOCAL_SECONDS (2 s; 0 turns it off), so a popular page costs no cache round trip at all:
a purge is seen at once by the process that made it and within those seconds by the others.

CSRF tokens in forms are cached as a placeholder and filled in per visitor; cookies the page set
for a cookie-less visitor (Oscar's "recently viewed" list) are replayed, except the CSRF cookie,
which Django's middleware sets itself.
"""

import hashlib
import re
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

VERSION_KEY = "pagecache:version"
CSRF_PLACEHOLDER = "__csrf_token_placeholder__"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Paths (after the optional /en prefix) whose pages depend on the visitor or must stay fresh.
UNCACHED_PREFIXES = (
    "admin/",
    "django-admin/",
    "documents/",
    "i18n/",
    "jsi18n/",
    "healthz",
    "payment/",
    "search/",
    "shop/basket/",
    "shop/checkout/",
    "shop/accounts/",
    "shop/dashboard/",
    "shop/wishlists/",
    "shop/search/",
    "shop/tra-cuu-don-hang/",
)


def visitor_cookies() -> tuple[str, ...]:
    """Cookies that make a page personal: session (signed in), basket, flash messages."""
    return (
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "OSCAR_BASKET_COOKIE_OPEN", "oscar_open_basket"),
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
        getattr(settings, "OSCAR_RECENTLY_VIEWED_COOKIE_NAME", "oscar_history"),
    )


def cache_enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


# This process' copy: the version read from the shared cache, until when it is trusted, recent entries.
_local = {"version": None, "until": 0.0, "entries": OrderedDict()}
LOCAL_MAX_ENTRIES = 256


def local_seconds() -> float:
    return getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 0)


def forget_local() -> None:
    _local.update(version=None, until=0.0)
    _local["entries"].clear()


def _remember(key, version, value) -> None:
    entries = _local["entries"]
    entries[key] = (version, value)
    entries.move_to_end(key)
    while len(entries) > LOCAL_MAX_ENTRIES:
        entries.popitem(last=False)


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def invalidate(**_kwargs) -> None:
    """Drop every cached page (signal receiver)."""
    forget_local()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return False
    if any(name in request.COOKIES for name in visitor_cookies()):
        return False
    path = request.path_info.lstrip("/")
    if path.startswith("en/"):
        path = path[3:]
    return not path.startswith(UNCACHED_PREFIXES)


def cache_key(request) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return f"pagecache:{hashlib.sha256(raw.encode()).hexdigest()}"


def versioned_get(key):
    """(current version, value stored under `key` for that version or None), in one cache round trip.

    Within PAGE_CACHE_LOCAL_SECONDS of the last read, this process' own copy answers without one.
    """
    ttl = local_seconds()
    now = time.monotonic()
    if ttl and _local["until"] > now:
        held = _local["entries"].get(key)
        if held is not None and held[0] == _local["version"]:
            return held
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = current_version()
    stored = found.get(key)
    value = stored["value"] if isinstance(stored, dict) and stored.get("version") == version else None
    if ttl:
        if version != _local["version"]:
            _local["entries"].clear()
        _local.update(version=version, until=now + ttl)
        if value is not None:
            _remember(key, version, value)
    return version, value


def versioned_set(key, value, version, timeout=None) -> None:
    """Store `value` for `version`; an entry of an older version reads as missing (see versioned_get)."""
    cache.set(key, {"version": version, "value": value}, seconds() if timeout is None else timeout)
    if local_seconds() and version == _local["version"]:
        _remember(key, version, value)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        version, entry = versioned_get(key)
        if entry is not None:
            return self._replay(request, entry)
        response = self.get_response(request)
        if self._storable(response):
            versioned_set(key, self._entry(response), version)
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _storable(response) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        if "private" in response.get("Cache-Control", "") or "no-cache" in response.get("Cache-Control", ""):
            return False
        personal = set(visitor_cookies()) - {getattr(settings, "OSCAR_RECENTLY_VIEWED_COOKIE_NAME", "oscar_history")}
        return not personal.intersection(response.cookies.keys())

    @staticmethod
    def _entry(response) -> dict:
        body = response.content.decode(response.charset)
        cookies = {name: morsel.OutputString() for name, morsel in response.cookies.items()}
        cookies.pop(settings.CSRF_COOKIE_NAME, None)
        headers = {k: v for k, v in response.items() if k.lower() in {"content-type", "content-language", "vary"}}
        return {"body": _CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", body), "headers": headers, "cookies": cookies}

    @staticmethod
    def _replay(request, entry) -> HttpResponse:
        body = entry["body"]
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request))
        response = HttpResponse(body)
        for name, value in entry["headers"].items():
            response[name] = value
        for cookie in entry["cookies"].values():
            response.cookies.load(cookie)
        patch_vary_headers(response, ["Cookie"])  # shared HTTP caches must not mix visitors
        response["X-Page-Cache"] = "hit"
        return response
