"""HTTP caching headers for every dynamic response that does not set its own.

Whitenoise gives static files a year and `immutable`; views that know better (feeds, oEmbed, embeds,
the GS1 resolver, robots.txt, the ward lists, never_cache views, the Wagtail admin) set their own
`Cache-Control` and are left alone. Everything else gets one of two answers:

- **public, max-age=PUBLIC_PAGE_MAX_AGE** (60 s): a page for a visitor with no session, basket or
  message cookie that sets no cookie either, so any browser or shared cache may keep it that long.
  A page with a form sets the CSRF cookie and therefore falls in the next case.
- **private, no-cache**: anything personal (a signed-in user, a basket, a cookie set in the response):
  the browser may keep it but asks again each time, and no shared cache stores it. Checkout, account,
  order tracking and dashboard pages are also **no-store**.
- **no-cache** on other anonymous answers (temporary redirects such as the GS1 resolver's 307,
  client errors), **no-store** on server errors.

ETags come from Django's ConditionalGetMiddleware (a 304 when the page did not change); the
compression middleware above it turns them weak. Pages get no Last-Modified: each shows prices,
stock and certificates from many rows, so an ETag of the body is the honest validator.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

from cms.cache import visitor_cookies

# Paths (after the optional /en prefix) whose pages must never be written to disk by a browser.
NO_STORE_PREFIXES = (
    "shop/checkout/",
    "shop/accounts/",
    "shop/dashboard/",
    "shop/tra-cuu-don-hang/",
    "payment/",
    "admin/",
    "django-admin/",
)
# Statuses a cache may keep by default (RFC 9111 heuristically cacheable), the only ones made public.
PUBLIC_STATUSES = {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501}


def public_max_age() -> int:
    return getattr(settings, "PUBLIC_PAGE_MAX_AGE", 60)


def _path(request) -> str:
    path = request.path_info.lstrip("/")
    return path[3:] if path.startswith("en/") else path


def is_personal(request, response) -> bool:
    """True when the response may differ for this visitor: signed in, a visitor cookie, or a cookie set now."""
    if response.cookies:
        return True
    if any(name in request.COOKIES for name in visitor_cookies()):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class CachingHeadersMiddleware:
    """Adds Cache-Control to GET and HEAD responses that have none (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.has_header("Cache-Control"):
            return response
        if _path(request).startswith(NO_STORE_PREFIXES):
            patch_cache_control(response, private=True, no_cache=True, no_store=True)
        elif is_personal(request, response):
            patch_cache_control(response, private=True, no_cache=True)
        elif response.status_code in PUBLIC_STATUSES:
            patch_cache_control(response, public=True, max_age=public_max_age())
        elif response.status_code >= 500:
            patch_cache_control(response, no_store=True)
        else:  # temporary redirects (the GS1 resolver, language switches), client errors: ask again each time
            patch_cache_control(response, no_cache=True)
        return response
