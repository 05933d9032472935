"""Who may put our pages in a frame: anyone for embed routes, nobody (or ourselves) for the rest.

Listed right after Django's XFrameOptionsMiddleware and outside the page cache, so a cached embed
replayed by cms.cache still gets its headers. Decided by path, not by a view
decorator, for the same reason. Every other page gets X-Frame-Options (DENY unless a view asked for
SAMEORIGIN or exempted itself, as Wagtail's preview does) and the matching CSP `frame-ancestors`.
"""

import re

from django.conf import settings

EMBED_PATH_PREFIX = "embed/"
ANYONE = "*"
_XFO_TO_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}


def is_embed_path(path: str) -> bool:
    """True for /embed/... and /<language>/embed/... (the iframe pages of cms.embeds)."""
    path = path.lstrip("/")
    prefixes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    path = re.sub(rf"^(?:{prefixes})/", "", path)
    return path.startswith(EMBED_PATH_PREFIX)


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
            # A view may narrow the audience (a fair's allowlist) by setting response.frame_ancestors.
            response.xframe_options_exempt = True
            if "X-Frame-Options" in response:
                del response["X-Frame-Options"]
            ancestors = getattr(response, "frame_ancestors", None) or ANYONE
            response["Content-Security-Policy"] = with_frame_ancestors(policy, ancestors)
            return response
        if getattr(response, "xframe_options_exempt", False) or "frame-ancestors" in policy:
            return response
        # The header a view set (Wagtail's preview asks for SAMEORIGIN), else the site default.
        xfo = response.get("X-Frame-Options") or getattr(settings, "X_FRAME_OPTIONS", "DENY")
        ancestors = _XFO_TO_ANCESTORS.get(xfo.upper())
        if ancestors:
            response["Content-Security-Policy"] = with_frame_ancestors(policy, ancestors)
        return response
