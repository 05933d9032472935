"""Who may put our pages in a frame: anyone for embed routes, nobody (or ourselves) for the rest.

Listed right after Django's XFrameOptionsMiddleware and outside the page cache, so a cached embed
replayed by cms.cache still gets its headers. Decided by path, not by a view
decorator, for the same reason. Every other page gets X-Frame-Options (DENY unless a view asked for
SAMEORIGIN or exempted itself, as Wagtail's preview does) and the matching CSP `frame-ancestors`.

Embed routes answer `frame-ancestors *`, except a trade fair's own embeds when the fair lists its
organisers' sites (TradeFairPage.frame_origins): its page's embed and any embed asked for with its
code (`?hoi_cho=<code>`) may then be framed only by those sites and the shop itself (for previews).
"""

import re

from django.conf import settings
from django.core.cache import cache

EMBED_PATH_PREFIX = "embed/"
ANYONE = "*"
_XFO_TO_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}
_PAGE_EMBED = re.compile(r"^embed/page/(\d+)/")


def _without_language(path: str) -> str:
    path = path.lstrip("/")
    prefixes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.sub(rf"^(?:{prefixes})/", "", path)


def is_embed_path(path: str) -> bool:
    """True for /embed/... and /<language>/embed/... (the iframe pages of cms.embeds)."""
    return _without_language(path).startswith(EMBED_PATH_PREFIX)


def fair_allowlists() -> dict:
    """{"pages": {fair page id: ancestors or None}, "codes": {code: ancestors}} for live fairs.

    One query; kept with the page cache (same version, so publishing a page refreshes it).
    """
    from cms import cache as page_cache
    from cms.models import TradeFairPage, parse_frame_origins

    key = f"framing:fairs:{page_cache.current_version()}"
    lists = cache.get(key) if page_cache.cache_enabled() else None
    if lists is None:
        lists = {"pages": {}, "codes": {}}
        for pk, code, origins in TradeFairPage.objects.live().values_list("pk", "code", "frame_origins"):
            allowed = parse_frame_origins(origins)
            ancestors = " ".join(["'self'", *allowed]) if allowed else None
            lists["pages"][pk] = ancestors
            if ancestors and code:
                lists["codes"][code] = ancestors
        if page_cache.cache_enabled():
            cache.set(key, lists, page_cache.seconds())
    return lists


def embed_ancestors(request) -> str:
    """Who may frame this embed request: a fair's allowlist when it is that fair's embed, else anyone."""
    from shop.fairs.attribution import code_in

    lists = fair_allowlists()
    if not lists["codes"]:
        return ANYONE
    match = _PAGE_EMBED.match(_without_language(request.path_info))
    if match and int(match.group(1)) in lists["pages"]:
        # A fair's page embed always carries that fair's own code (cms.embeds.page_embed).
        return lists["pages"][int(match.group(1))] or ANYONE
    return lists["codes"].get(code_in(request).upper(), ANYONE)


def with_frame_ancestors(policy: str, ancestors: str) -> str:
    """`policy` (a CSP header value, maybe empty) with its frame-ancestors directive set to `ancestors`."""
    directives = [d.strip() for d in policy.split(";") if d.strip() and not d.strip().startswith("frame-ancestors")]
    return "; ".join([*directives, f"frame-ancestors {ancestors}"])


class FramingMiddleware:
    """Sits just inside Django's XFrameOptionsMiddleware: exempts embed routes from it and adds the
    CSP `frame-ancestors` directive that matches what X-Frame-Options will say for the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = response.get("Content-Security-Policy", "")
        if is_embed_path(request.path_info):
            # Decided from the request, not the view, so replies replayed by the page cache get it too.
            response.xframe_options_exempt = True
            if "X-Frame-Options" in response:
                del response["X-Frame-Options"]
            response["Content-Security-Policy"] = with_frame_ancestors(policy, embed_ancestors(request))
            return response
        if getattr(response, "xframe_options_exempt", False) or "frame-ancestors" in policy:
            return response
        # The header a view set (Wagtail's preview asks for SAMEORIGIN), else the site default.
        xfo = response.get("X-Frame-Options") or getattr(settings, "X_FRAME_OPTIONS", "DENY")
        ancestors = _XFO_TO_ANCESTORS.get(xfo.upper())
        if ancestors:
            response["Content-Security-Policy"] = with_frame_ancestors(policy, ancestors)
        return response
