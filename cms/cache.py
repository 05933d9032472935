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

Two layers, one version: `AnonymousPageCacheMiddleware` sits deep in the stack and keeps the page
as rendered (so a form's CSRF token can be filled in per visitor); `FinishedPageCacheMiddleware`
sits at the top and keeps, for pages that are the same bytes for every visitor (no form, no
cookie, no query string), the finished response per Accept-Encoding: compressed, with its ETag,
Cache-Control and framing headers. A hit there runs none of the middlewares below it.
"""

import hashlib
import re
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_vary_headers

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


def versioned_get_many(keys) -> tuple[int, dict]:
    """(current version, {key: value} of those stored for that version), in one cache round trip."""
    found = cache.get_many([VERSION_KEY, *keys])
    version = found.pop(VERSION_KEY, None)
    if version is None:
        version = current_version()
    return version, {
        key: stored["value"]
        for key, stored in found.items()
        if isinstance(stored, dict) and stored.get("version") == version
    }


def versioned_set_many(values: dict, version) -> None:
    """Store each {key: value} for `version` (see versioned_get_many), in one round trip."""
    if values:
        cache.set_many({key: {"version": version, "value": value} for key, value in values.items()}, seconds())


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        version, entry = versioned_get(key)
        if entry is not None:
            response = self._replay(request, entry)
        else:
            response = self.get_response(request)
            if self._storable(response):
                entry = self._entry(response)
                versioned_set(key, entry, version)
            response["X-Page-Cache"] = "miss"
        # The top layer keeps what it needs from here (FinishedPageCacheMiddleware).
        response.page_cache_entry = entry
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


# FINISHED RESPONSES: the top layer
# ------------------------------------------------------------------------------
# Headers never replayed from a stored response: per response (Date), per body (length, encoding and
# validator of a page whose CSRF token differs per visitor) or set again on replay.
_NOT_REPLAYED = {"date", "set-cookie", "x-page-cache"}
_PER_BODY = {"content-length", "content-encoding", "etag"}


def finished_key(request) -> str:
    """The deep layer's key plus the visitor's Accept-Encoding, which decides the finished bytes."""
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "").split(",")
    encoding = ",".join(sorted(part.strip() for part in accepted if part.strip()))
    return f"{cache_key(request)}:finished:{encoding}"


class FinishedPageCacheMiddleware:
    """Serves cached pages before any other middleware of the shop runs (placed below WhiteNoise).

    What it keeps comes from the deep layer (`response.page_cache_entry`) and from the stack below,
    on the way up, per Accept-Encoding:
    - a page that is the same bytes for every visitor (no form, no cookie): the finished response,
      compressed, with its ETag, Cache-Control and framing headers; a hit is a dictionary lookup, and
      a conditional request gets its 304;
    - a page with a form: the page with its CSRF placeholder and the finished headers; a hit fills
      in the visitor's token and sets the CSRF cookie with Django's own CSRF middleware, replays the
      cookies the page sets, and compresses the body, as the stack below would have.
    Requests with a query string pass through (so fair links, `?hoi_cho=`, always reach the
    attribution middleware below), as do visitors with a session, basket or message cookie.
    """

    def __init__(self, get_response):
        from django.middleware.csrf import CsrfViewMiddleware
        from django_http_compression.middleware import HttpCompressionMiddleware

        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.compression = HttpCompressionMiddleware(get_response)

    def __call__(self, request):
        if request.META.get("QUERY_STRING") or not cacheable_request(request):
            return self.get_response(request)
        key = finished_key(request)
        version, stored = versioned_get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        page = getattr(response, "page_cache_entry", None)
        if page is not None and response.status_code == 200 and not response.streaming:
            versioned_set(key, self._entry(response, page), version)
        return response

    @staticmethod
    def _entry(response, page) -> dict:
        headers = {k: v for k, v in response.items() if k.lower() not in _NOT_REPLAYED}
        if CSRF_PLACEHOLDER in page["body"] or page["cookies"]:
            headers = {k: v for k, v in headers.items() if k.lower() not in _PER_BODY}
            return {"page": page, "headers": headers}
        return {"content": response.content, "headers": headers}

    def _replay(self, request, stored):
        if "content" in stored:
            response = HttpResponse(stored["content"], headers=stored["headers"])
        else:
            response = self._render(request, stored)
        response["X-Page-Cache"] = "hit"
        etag = response.get("ETag")
        return get_conditional_response(request, etag=etag, response=response) if etag else response

    def _render(self, request, stored):
        page = stored["page"]
        body = page["body"]
        if CSRF_PLACEHOLDER in body:
            self.csrf.process_request(request)  # the visitor's own secret, if their cookie has one
            body = body.replace(CSRF_PLACEHOLDER, get_token(request))
        response = HttpResponse(body, headers=stored["headers"])
        for cookie in page["cookies"].values():
            response.cookies.load(cookie)
        self.csrf.process_response(request, response)  # sets the CSRF cookie as the stack below would
        self.compression.maybe_compress(request, response)
        return response
