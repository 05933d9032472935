"""oEmbed 1.0 provider (https://oembed.com/): `/oembed?url=<page URL>&format=json`.

Product, collection, trade fair and cooperative pages of this shop answer type "rich" with an iframe
of their embed page (cms.embeds) in the page's language; anything else is 404, any format but JSON
is 501. Width and height never exceed maxwidth/maxheight; the cards need 280 px, so a narrower
maxwidth is 404 (no representation fits). Pages advertise the endpoint with `{% oembed_link %}`.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.views.decorators.http import require_safe
from wagtail.models import Page

from catalog.models import Cooperative
from cms import embeds

MIN_WIDTH = 280
# Default iframe sizes: one card, or a list of cards (which scrolls when maxheight cuts it).
PRODUCT_SIZE = (400, 260)
LIST_WIDTH = 720
THUMBNAIL_SIZE = 320
CACHE_AGE = 3600


@dataclass
class Target:
    """What a shop URL shows, and the embed page that shows it in an iframe."""

    kind: str  # "product" or "list"
    title: str
    embed_path: str
    count: int = 1
    thumbnail: object = None  # callable(size) -> (url, width, height) or None
    author_name: str = ""
    author_url: str = ""


def _language_of(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and (path == f"/{code}" or path.startswith(f"/{code}/")):
            return code
    return settings.LANGUAGE_CODE


def _is_our_host(request, netloc: str) -> bool:
    ours = {request.get_host().lower(), urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc.lower()}
    return netloc.lower() in ours


def target_for(request, url: str) -> Target | None:
    """The embeddable thing at `url` (an absolute URL of this shop), or None. Call with the URL's language active."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _is_our_host(request, parts.netloc):
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.view_name == "catalogue:detail":
        return _product_target(request, match.kwargs["pk"])
    if match.view_name == "trace:cooperative":
        cooperative = Cooperative.objects.filter(slug=match.kwargs["slug"]).first()
        return _cooperative_target(request, cooperative) if cooperative else None
    if match.url_name == "wagtail_serve":
        # Wagtail's serve pattern passes the page path positionally.
        route = Page.route_for_request(request, match.args[0] if match.args else "")
        return _page_target(request, route[0]) if route else None
    return None


def _product_target(request, pk) -> Target | None:
    cards = embeds.build_cards([pk])
    if not cards:
        return None
    product = cards[0].product
    cooperative = product.cooperative

    def thumbnail(size):
        image = product.primary_image()
        if not getattr(image, "original", None):
            return None
        from oscar.core.thumbnails import get_thumbnailer

        thumb = get_thumbnailer().generate_thumbnail(image.original, size=f"{size}x{size}", crop="center")
        return request.build_absolute_uri(thumb.url), thumb.width, thumb.height

    return Target(
        kind="product",
        title=product.get_title(),
        embed_path=reverse("embed:product", kwargs={"pk": product.pk}),
        thumbnail=thumbnail,
        author_name=cooperative.get_name() if cooperative else "",
        author_url=request.build_absolute_uri(cooperative.get_absolute_url()) if cooperative else "",
    )


def _cooperative_target(request, cooperative) -> Target:
    def thumbnail(size):
        return _rendition(request, cooperative.logo, size)

    return Target(
        kind="list",
        title=cooperative.get_name(),
        embed_path=reverse("embed:cooperative", kwargs={"slug": cooperative.slug}),
        count=len(embeds.cooperative_product_ids(cooperative)),
        thumbnail=thumbnail,
    )


def _page_target(request, page) -> Target | None:
    from cms.models import CollectionPage, CooperativePage, TradeFairPage

    page = page.specific
    if not (page.live and page.get_view_restrictions().count() == 0):
        return None
    if isinstance(page, CooperativePage):
        cooperative = Cooperative.objects.filter(partner_id=page.partner_id).first() if page.partner_id else None
        return _cooperative_target(request, cooperative) if cooperative else None
    if not isinstance(page, CollectionPage | TradeFairPage):
        return None
    return Target(
        kind="list",
        title=page.title,
        embed_path=reverse("embed:page", kwargs={"pk": page.pk}),
        count=len(embeds.page_product_ids(page)),
        thumbnail=lambda size: _rendition(request, page.image, size),
    )


def _rendition(request, image, size):
    """(url, width, height) of a Wagtail image cropped to at most size × size, or None."""
    if image is None:
        return None
    rendition = image.get_rendition(f"fill-{size}x{size}")
    return request.build_absolute_uri(rendition.url), rendition.width, rendition.height


def list_height(width: int, count: int) -> int:
    """About how tall a list embed is at `width`: a heading, rows of cards, the "see all" link."""
    columns = max(1, (width - 16 + 10) // (220 + 10))
    card = (width - 16 - 10 * (columns - 1)) // columns + 190
    return 90 + math.ceil(max(count, 1) / columns) * (card + 10) + 40


def _dimension(value):
    if value in (None, ""):
        return None
    if not value.isdigit() or int(value) == 0:
        raise ValueError(value)
    return int(value)


@require_safe
def oembed(request):
    """The oEmbed endpoint: JSON only, "rich" type, sizes within maxwidth/maxheight."""
    fmt = request.GET.get("format") or "json"
    if fmt != "json":
        return HttpResponse(status=501, content=f"Format {fmt!r} is not supported; use json.\n")
    url = request.GET.get("url", "")
    if not url:
        return HttpResponseBadRequest("The url parameter is required.\n")
    try:
        maxwidth = _dimension(request.GET.get("maxwidth"))
        maxheight = _dimension(request.GET.get("maxheight"))
    except ValueError:
        return HttpResponseBadRequest("maxwidth and maxheight must be positive whole numbers.\n")
    if maxwidth is not None and maxwidth < MIN_WIDTH:
        raise Http404(f"No embed fits in {maxwidth} px; cards need {MIN_WIDTH} px.")
    language = _language_of(urlsplit(url).path)
    with translation.override(language):
        target = target_for(request, url)
        if target is None:
            raise Http404("Not an embeddable page of this shop.")
        data = _response(request, target, maxwidth, maxheight, language)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={CACHE_AGE}"
    return response


def _response(request, target, maxwidth, maxheight, language) -> dict:
    if target.kind == "product":
        width, height = PRODUCT_SIZE
        width = min(width, maxwidth or width)
        if width < 360:  # below 360 px the picture stacks above the text
            height = width + 220
    else:
        width = min(LIST_WIDTH, maxwidth or LIST_WIDTH)
        height = list_height(width, target.count)
    height = min(height, maxheight or height)
    src = request.build_absolute_uri(target.embed_path)
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'style="border:0;max-width:100%" referrerpolicy="strict-origin-when-cross-origin"></iframe>',
        src,
        width,
        height,
        target.title,
    )
    home = "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
    data = {
        "type": "rich",
        "version": "1.0",
        "title": target.title,
        "provider_name": str(settings.OSCAR_SHOP_NAME),
        "provider_url": request.build_absolute_uri(home),
        "cache_age": CACHE_AGE,
        "html": str(html),
        "width": width,
        "height": height,
    }
    if target.author_name:
        data.update(author_name=target.author_name, author_url=target.author_url)
    size = min(THUMBNAIL_SIZE, maxwidth or THUMBNAIL_SIZE, maxheight or THUMBNAIL_SIZE)
    thumbnail = target.thumbnail(size) if target.thumbnail else None
    if thumbnail:
        data.update(zip(("thumbnail_url", "thumbnail_width", "thumbnail_height"), thumbnail, strict=True))
    return data


def discovery_href(request, path: str | None = None) -> str:
    """The oEmbed endpoint URL for the page at `path` (default: the current page), absolute."""
    page_url = request.build_absolute_uri(path or request.path)
    return request.build_absolute_uri(reverse("oembed")) + "?" + urlencode({"url": page_url, "format": "json"})
